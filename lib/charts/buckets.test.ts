import { describe, expect, it } from "vitest";
import { chooseBucketMs, fillSeries, safeRatio } from "./buckets";
import { binValues, quantile } from "./histogram";
import { formatCost, formatDuration, formatMetric, formatPercent } from "./units";

const MIN = 60_000;

describe("chooseBucketMs", () => {
  it.each([
    ["15 minutes → 1 minute", 15 * MIN, MIN],
    ["1 hour → 1 minute", 60 * MIN, MIN],
    ["24 hours → 15 minutes", 24 * 60 * MIN, 15 * MIN],
    ["7 days → 3 hours", 7 * 24 * 60 * MIN, 180 * MIN],
    ["a year → 1 day (the largest step)", 365 * 24 * 60 * MIN, 1440 * MIN],
  ])("%s", (_n, range, expected) => expect(chooseBucketMs(range)).toBe(expected));
});

describe("fillSeries", () => {
  const series = fillSeries([{ t: 2 * MIN + 5, tokens: 10, p95: 120 }], 0, 4 * MIN, MIN, { tokens: "zero", p95: "gap" });
  it("has one row per bucket in the range", () => expect(series.map((r) => r.t)).toEqual([0, MIN, 2 * MIN, 3 * MIN]));
  it("puts a point into the bucket containing it", () => expect(series[2]).toEqual({ t: 2 * MIN, tokens: 10, p95: 120 }));
  it("fills counts with zero and rates with gaps", () => expect(series[0]).toEqual({ t: 0, tokens: 0, p95: null }));
  it("keeps an explicit null as a gap even for zero fields", () => {
    expect(fillSeries([{ t: 0, tokens: null }], 0, MIN, MIN, { tokens: "zero" })[0]).toEqual({ t: 0, tokens: 0 });
  });
});

describe("safeRatio", () => {
  it.each([
    ["normal", 1, 4, 0.25],
    ["zero denominator is a gap", 3, 0, null],
    ["zero numerator is zero", 0, 5, 0],
  ])("%s", (_n, a, b, expected) => expect(safeRatio(a, b)).toBe(expected));
});

describe("histogram", () => {
  it("quantiles interpolate", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNull();
  });
  it("bins every value exactly once", () => {
    const bins = binValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(10);
    expect(bins[0]!.lo).toBe(1);
  });
  it("uses log bins for wide ranges", () => {
    const bins = binValues([1, 10, 100, 1000, 10000], 4);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 1, 2]);
  });
  it("a single distinct value is one bin", () => expect(binValues([5, 5, 5])).toEqual([{ lo: 5, hi: 5, count: 3 }]));
});

describe("units", () => {
  it.each([
    [0.5, "500 µs"],
    [3.21, "3.2 ms"],
    [250, "250 ms"],
    [4200, "4.20 s"],
    [125_000, "2m 5s"],
    [null, "–"],
  ])("formatDuration(%s) = %s", (v, s) => expect(formatDuration(v)).toBe(s));
  it.each([
    [0, "$0"],
    [0.00123, "$0.0012"],
    [1.5, "$1.50"],
    [1234, "$1.2k"],
  ])("formatCost(%s) = %s", (v, s) => expect(formatCost(v)).toBe(s));
  it("formatPercent", () => expect(formatPercent(0.1234)).toBe("12.3%"));
  it("formatMetric picks the unit from the metric name", () => {
    expect(formatMetric("latency_ms", 1500)).toBe("1.50 s");
    expect(formatMetric("cost_usd", 0.5)).toBe("$0.50");
    expect(formatMetric("total_tokens", 12000)).toBe("12k");
  });
});
