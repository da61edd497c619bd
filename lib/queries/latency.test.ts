import { describe, expect, it } from "vitest";
import { addLatency, type LatencyHistogram } from "../metrics/latency-histogram";
import { addHistogram, histogramPercentile, type HistCounts } from "./latency";

describe("latency percentiles from rollup histograms", () => {
  it("merges rollups and answers percentiles within one √2 step", () => {
    const a: LatencyHistogram = {};
    for (let i = 1; i <= 90; i++) addLatency(a, 100);
    const b: LatencyHistogram = {};
    for (let i = 1; i <= 10; i++) addLatency(b, 5000);
    const counts: HistCounts = new Map();
    addHistogram(counts, a);
    addHistogram(counts, b);
    expect([...counts.values()].reduce((s, n) => s + n, 0)).toBe(100);
    expect(histogramPercentile(counts, 0.5)).toBeGreaterThanOrEqual(100);
    expect(histogramPercentile(counts, 0.5)).toBeLessThan(100 * Math.SQRT2);
    expect(histogramPercentile(counts, 0.99)).toBeGreaterThanOrEqual(5000);
  });

  it.each([
    { name: "an empty histogram", hist: {}, q: 0.5, expected: null },
    { name: "a stored value that is not a histogram", hist: "garbage", q: 0.5, expected: null },
    { name: "negative and non-numeric counts are ignored", hist: { "3": -2, x: 5, "4": 1 }, q: 1, expected: 4 },
  ])("$name", ({ hist, q, expected }) => {
    const counts: HistCounts = new Map();
    addHistogram(counts, hist);
    expect(histogramPercentile(counts, q)).toBe(expected);
  });
});
