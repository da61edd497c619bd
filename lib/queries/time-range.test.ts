import { describe, expect, it } from "vitest";
import { MAX_TIME_MS, msToNs, nsToMs, resolveTimeRange, ZTimeRangeQuery } from "./time-range";

const NOW = 1_800_000_000_000;

describe("resolveTimeRange", () => {
  it.each([
    ["default is the last 24 h", {}, { fromMs: NOW - 86_400_000, toMs: NOW }],
    ["a preset", { range: "1h" as const }, { fromMs: NOW - 3_600_000, toMs: NOW }],
    ["explicit from/to win", { from: 1000, to: 5000 }, { fromMs: 1000, toMs: 5000 }],
    ["a preset ending at `to`", { range: "15m" as const, to: 10_000_000 }, { fromMs: 10_000_000 - 900_000, toMs: 10_000_000 }],
    ["from after to falls back to the default window", { from: 9000, to: 5000 }, { fromMs: 5000 - 86_400_000, toMs: 5000 }],
  ])("%s", (_n, q, expected) => expect(resolveTimeRange(q, NOW)).toEqual(expected));

  it("converts between ms and ns exactly", () => {
    expect(msToNs(NOW)).toBe(1_800_000_000_000_000_000n);
    expect(nsToMs("1800000000000999999")).toBe(NOW);
  });
});

describe("ZTimeRangeQuery (issue 17 finding 9: to=9007199254740991 threw a RangeError, a 500)", () => {
  it.each([
    ["the largest safe integer", { to: "9007199254740991" }, false],
    ["just past the largest int64 nanosecond time", { to: String(MAX_TIME_MS + 1) }, false],
    ["a from beyond it", { from: "1e15" }, false],
    ["negative", { from: "-1" }, false],
    ["not a number", { to: "soon" }, false],
    ["the largest time", { to: String(MAX_TIME_MS) }, true],
    ["an ordinary range", { from: "1000", to: "5000" }, true],
  ])("%s → valid: %s", (_name, query, valid) => {
    const parsed = ZTimeRangeQuery.safeParse(query);
    expect(parsed.success).toBe(valid);
    if (valid) expect(() => msToNs(resolveTimeRange(parsed.data!, NOW).toMs)).not.toThrow();
  });
});
