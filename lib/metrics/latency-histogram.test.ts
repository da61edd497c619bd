import { describe, expect, it } from "vitest";
import { bucketUpperMs, latencyBucket } from "./latency-histogram";

describe("latency histogram", () => {
  it.each([
    [0, 0], [1, 0], [1.2, 1], [1.5, 2], [2, 2], [3, 4], [1000, 20], [1e12, 48],
  ])("%s ms falls in bucket %s", (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
    if (ms > 0 && ms < 1e9) expect(bucketUpperMs(bucket)).toBeGreaterThanOrEqual(ms - 1e-9);
  });
});
