"use client";
import { useUrlState } from "./use-url-state";

export const RANGES = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;

export function useRange(fallback = "24h"): string {
  const { get } = useUrlState();
  const r = get("range");
  return r && (RANGES as readonly string[]).includes(r) ? r : fallback;
}

export function TimeRangePicker({ fallback = "24h" }: { fallback?: string }) {
  const { set } = useUrlState();
  const range = useRange(fallback);
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r} aria-pressed={r === range} onClick={() => set({ range: r, cursor: null })}>
          {r}
        </button>
      ))}
    </div>
  );
}
