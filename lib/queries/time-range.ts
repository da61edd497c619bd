// Time ranges shared by the dashboard APIs: "from"/"to" in epoch ms, or a preset like "24h".
import { z } from "zod";

export const RANGE_PRESETS = { "15m": 15 * 60_000, "1h": 3600_000, "6h": 6 * 3600_000, "24h": 24 * 3600_000, "7d": 7 * 24 * 3600_000, "30d": 30 * 24 * 3600_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** Span times are int64 nanoseconds: the latest time they can hold, in ms (April 2262). Beyond it, ns arithmetic overflows. */
export const MAX_TIME_MS = 9_223_372_036_854;
const epochMs = z.coerce.number().int().max(MAX_TIME_MS, `must be at most ${MAX_TIME_MS} (epoch milliseconds)`);

export const ZTimeRangeQuery = z.object({
  range: z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]]).optional(),
  from: epochMs.nonnegative().optional(),
  to: epochMs.positive().optional(),
});

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export function resolveTimeRange(q: z.infer<typeof ZTimeRangeQuery>, nowMs: number, fallback: RangePreset = "24h"): TimeRange {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - RANGE_PRESETS[q.range ?? fallback];
  if (fromMs >= toMs) return { fromMs: toMs - RANGE_PRESETS[fallback], toMs };
  return { fromMs, toMs };
}

export const msToNs = (ms: number): bigint => BigInt(Math.floor(ms)) * 1_000_000n;
export const nsToMs = (ns: string | number | bigint): number => Number(BigInt(ns) / 1_000_000n);
