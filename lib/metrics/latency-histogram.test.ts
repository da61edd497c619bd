import { describe, expect, it } from "vitest";
import { addLatency, bucketUpperMs, histogramQuantile, latencyBucket, mergeHistograms } from "./latency-histogram";

describe("latency histogram", () => {
  it.each([
    [0, 0], [1, 0], [1.2, 1], [1.5, 2], [2, 2], [3, 4], [1000, 20], [1e12, 48],
  ])("%s ms falls in bucket %s", (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
    if (ms > 0 && ms < 1e9) expect(bucketUpperMs(bucket)).toBeGreaterThanOrEqual(ms - 1e-9);
  });

  it("merges and answers quantiles within one √2 step", () => {
    const a = {};
    for (let i = 1; i <= 90; i++) addLatency(a, 100);
    const b = {};
    for (let i = 1; i <= 10; i++) addLatency(b, 5000);
    const merged = mergeHistograms(a, b);
    expect(Object.values(merged).reduce((s, n) => s + n, 0)).toBe(100);
    expect(histogramQuantile(merged, 0.5)).toBeGreaterThanOrEqual(100);
    expect(histogramQuantile(merged, 0.5)).toBeLessThan(100 * Math.SQRT2);
    expect(histogramQuantile(merged, 0.99)).toBeGreaterThanOrEqual(5000);
    expect(histogramQuantile({}, 0.5)).toBeNull();
  });
});
