import { describe, expect, it } from "vitest";
import { msToNs, nsToMs, resolveTimeRange } from "./time-range";

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
