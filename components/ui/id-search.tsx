"use client";
// A search box for ids that start with some text, kept in the URL (`q`) like the other filters.
import { useEffect, useState } from "react";
import { useUrlState } from "./use-url-state";

export function IdSearch({ label, placeholder }: { label: string; placeholder: string }) {
  const { get, set } = useUrlState();
  const [q, setQ] = useState(get("q") ?? "");
  useEffect(() => setQ(get("q") ?? ""), [get]);
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        set({ q: q.trim(), cursor: null });
      }}
    >
      {label}
      <input className="input" type="search" placeholder={placeholder} value={q} onChange={(e) => setQ(e.target.value)} aria-label={label} style={{ width: 220 }} />
    </form>
  );
}

/** An active filter that came from a link (a user, a session): shown with a button that removes it. */
export function FilterChip({ label, name }: { label: string; name: string }) {
  const { get, set } = useUrlState();
  const value = get(name);
  if (!value) return null;
  return (
    <div className="field">
      {label}
      <span className="row" style={{ gap: 4 }}>
        <span className="badge info mono ellipsis" style={{ maxWidth: 220 }} title={value}>
          {value}
        </span>
        <button type="button" className="btn small" aria-label={`Clear ${label.toLowerCase()} filter`} onClick={() => set({ [name]: null, cursor: null })}>
          ✕
        </button>
      </span>
    </div>
  );
}
