// Pure chart preparation: bucket sizes, dense series with explicit gaps (no data) versus zeros (data, none of it).

const MINUTE = 60_000;
const BUCKET_STEPS_MS = [1, 5, 15, 30, 60, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** The smallest step that keeps the series at or below `maxPoints` buckets. */
export function chooseBucketMs(rangeMs: number, maxPoints = 120): number {
  for (const step of BUCKET_STEPS_MS) if (rangeMs / step <= maxPoints) return step;
  return BUCKET_STEPS_MS[BUCKET_STEPS_MS.length - 1]!;
}

export const bucketStart = (tMs: number, bucketMs: number): number => Math.floor(tMs / bucketMs) * bucketMs;

export type FillMode = "zero" | "gap";

/**
 * Dense series from sparse points: one row per bucket in [fromMs, toMs).
 * "zero" fields (counts, tokens, cost) are 0 where nothing was recorded; "gap" fields (latency, rates)
 * are null there, so a line chart breaks instead of diving to zero.
 */
export function fillSeries<K extends string>(
  points: ReadonlyArray<{ t: number } & Partial<Record<NoInfer<K>, number | null>>>,
  fromMs: number,
  toMs: number,
  bucketMs: number,
  fields: Record<K, FillMode>,
): Array<{ t: number } & Record<K, number | null>> {
  const byT = new Map<number, Partial<Record<K, number | null>>>();
  for (const p of points) byT.set(bucketStart(p.t, bucketMs), p);
  const out: Array<{ t: number } & Record<K, number | null>> = [];
  for (let t = bucketStart(fromMs, bucketMs); t < toMs; t += bucketMs) {
    const p = byT.get(t);
    const row = { t } as { t: number } & Record<K, number | null>;
    for (const key of Object.keys(fields) as K[]) {
      const v = p?.[key];
      row[key] = (v === undefined || v === null ? (fields[key] === "zero" ? 0 : null) : v) as never;
    }
    out.push(row);
  }
  return out;
}

/** Ratio that is a gap (null) when the denominator is zero, never NaN or Infinity. */
export function safeRatio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
