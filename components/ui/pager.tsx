"use client";
import type { ReactNode } from "react";
import { useUrlState } from "./use-url-state";

/** Keyset pagination controls: the cursor lives in the URL, so a page can be shared. */
export function Pager({ nextCursor, children }: { nextCursor: string | null; children?: ReactNode }) {
  const { get, set } = useUrlState();
  return (
    <div className="row" style={{ marginTop: 10 }}>
      {children}
      <span className="spacer" />
      {get("cursor") && (
        <button className="btn small" onClick={() => set({ cursor: null })}>
          ⇤ First page
        </button>
      )}
      <button className="btn small" disabled={!nextCursor} onClick={() => set({ cursor: nextCursor })}>
        Next page →
      </button>
    </div>
  );
}
