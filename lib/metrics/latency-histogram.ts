// Log-spaced latency histogram stored sparsely as {"<bucket>": count}. Bucket i holds durations in
// (2^((i-1)/2), 2^(i/2)] ms, i.e. √2 steps from 1 ms (bucket 0: ≤ 1 ms) to about 4.6 h (bucket 48).
export type LatencyHistogram = Record<string, number>;

export const MAX_BUCKET = 48;

export function latencyBucket(durationMs: number): number {
  if (!(durationMs > 1)) return 0;
  return Math.min(MAX_BUCKET, Math.ceil(2 * Math.log2(durationMs) - 1e-9));
}

/** Upper bound of a bucket in ms. */
export function bucketUpperMs(bucket: number): number {
  return 2 ** (bucket / 2);
}

export function addLatency(histogram: LatencyHistogram, durationMs: number): void {
  const key = String(latencyBucket(durationMs));
  histogram[key] = (histogram[key] ?? 0) + 1;
}
