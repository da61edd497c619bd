// Adapter between span_rollups.latencyHist (lib/metrics/latency-histogram.ts, written at ingestion) and the overview.
import { bucketUpperMs } from "../metrics/latency-histogram";

export type HistCounts = Map<number, number>;

export function addHistogram(into: HistCounts, hist: unknown): void {
  if (!hist || typeof hist !== "object") return;
  for (const [key, value] of Object.entries(hist as Record<string, unknown>)) {
    const index = Number(key);
    const count = Number(value);
    if (!Number.isFinite(index) || !Number.isFinite(count) || count <= 0) continue;
    into.set(index, (into.get(index) ?? 0) + count);
  }
}

/** Approximate quantile: the upper bound of the bucket holding it. */
export function histogramPercentile(hist: HistCounts, q: number): number | null {
  let total = 0;
  for (const c of hist.values()) total += c;
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (const index of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(index)!;
    if (seen >= target) return bucketUpperMs(index);
  }
  return null;
}
