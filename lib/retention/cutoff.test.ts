import { describe, expect, it } from "vitest";
import { DAY_MS, passDue, retentionCutoff } from "./cutoff";

const NOW = Date.UTC(2026, 10, 26);

describe("retentionCutoff", () => {
  it.each([
    { name: "off when unset", days: null, expected: null },
    { name: "off when undefined", days: undefined, expected: null },
    { name: "off for zero", days: 0, expected: null },
    { name: "off for a negative value", days: -3, expected: null },
    { name: "off for a fraction", days: 1.5, expected: null },
    { name: "one day", days: 1, expected: NOW - DAY_MS },
    { name: "thirty days", days: 30, expected: NOW - 30 * DAY_MS },
  ])("$name", ({ days, expected }) => {
    const cutoff = retentionCutoff(NOW, days);
    if (expected === null) return expect(cutoff).toBeNull();
    expect(cutoff).toEqual({ ms: expected, ns: BigInt(expected) * 1_000_000n, date: new Date(expected) });
  });
});

describe("passDue", () => {
  it.each([
    { name: "first pass", last: null, now: 0, interval: 1000, due: true },
    { name: "too soon", last: 500, now: 1000, interval: 1000, due: false },
    { name: "exactly the interval", last: 0, now: 1000, interval: 1000, due: true },
  ])("$name", ({ last, now, interval, due }) => expect(passDue(last, now, interval)).toBe(due));
});
