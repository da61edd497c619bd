"use client";
import { useEffect, useState } from "react";
import { useFacets } from "../data/use-resources";
import { FilterChip } from "../ui/id-search";
import { TimeRangePicker } from "../ui/time-range";
import { useUrlState } from "../ui/use-url-state";

function Choice({ label, name, options }: { label: string; name: string; options: string[] }) {
  const { get, set } = useUrlState();
  const value = get(name) ?? "";
  return (
    <label className="field">
      {label}
      <select className="select" value={value} onChange={(e) => set({ [name]: e.target.value, cursor: null })} aria-label={label}>
        <option value="">All</option>
        {[...new Set([...options, ...(value ? [value] : [])])].map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TraceFilters() {
  const { get, set } = useUrlState();
  const facets = useFacets();
  const [q, setQ] = useState(get("q") ?? "");
  useEffect(() => setQ(get("q") ?? ""), [get]);
  return (
    <div className="filters">
      <TimeRangePicker />
      <Choice label="Service" name="service" options={facets.data?.services ?? []} />
      <Choice label="Agent" name="agent" options={facets.data?.agents ?? []} />
      <Choice label="Model" name="model" options={facets.data?.models ?? []} />
      <label className="field">
        Status
        <select className="select" aria-label="Status" value={get("status") ?? ""} onChange={(e) => set({ status: e.target.value, cursor: null })}>
          <option value="">All</option>
          <option value="ok">OK</option>
          <option value="error">Error</option>
        </select>
      </label>
      <label className="field">
        Min. anomaly score
        <select className="select" aria-label="Minimum anomaly score" value={get("minScore") ?? ""} onChange={(e) => set({ minScore: e.target.value, cursor: null })}>
          <option value="">Any</option>
          <option value="0.3">≥ 0.3</option>
          <option value="0.5">≥ 0.5</option>
          <option value="0.8">≥ 0.8</option>
        </select>
      </label>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: q.trim(), cursor: null });
        }}
      >
        Search
        <input className="input" type="search" placeholder="Trace name, agent or id" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search traces" style={{ width: 220 }} />
      </form>
      <FilterChip label="Session" name="sessionId" />
      <FilterChip label="User" name="userId" />
    </div>
  );
}
