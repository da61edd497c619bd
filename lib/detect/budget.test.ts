import { describe, expect, it } from "vitest";
import { chainThresholdBits, changeThresholdBits, noveltyThresholdBits, pointThresholdBits, rateThresholdBits, scoreOf } from "./budget";
import { resolveSettings } from "./settings";

const s = resolveSettings({});

describe("thresholds from the false-alarm budget", () => {
  it.each([
    // 1 false alert per 10,000 traces, 35 % of it for point tests, shared by 25 tests: p <= 1.4e-6.
    { name: "a point test of a 25-test trace", bits: pointThresholdBits(s, 25, 1), expected: Math.log2(25 / 3.5e-5) },
    { name: "the 25th test pays nothing extra", bits: pointThresholdBits(s, 25, 25), expected: Math.log2(25 / 3.5e-5) },
    { name: "the 100th test of a usually-25-test trace pays 2 log2(4) = 4 bits more", bits: pointThresholdBits(s, 25, 100), expected: Math.log2(25 / 3.5e-5) + 4 },
    { name: "a single-span trace (NAB rows) is judged at p <= 3.5e-5", bits: pointThresholdBits(s, 1, 1), expected: Math.log2(1 / 3.5e-5) },
    { name: "chain tests share 15 %", bits: chainThresholdBits(s, 6), expected: Math.log2(6 / 1.5e-5) },
    { name: "novelty: 25 %, one test per run", bits: noveltyThresholdBits(s, 1), expected: Math.log2(1 / 2.5e-5) },
    { name: "change CUSUMs: three sides, 15 %, per observation", bits: changeThresholdBits(s, 25), expected: Math.log2(75 / 1.5e-5) },
    { name: "rates: per key-hour", bits: rateThresholdBits(s, 120, 3), expected: Math.log2(360 / 1e-4) },
  ])("$name", ({ bits, expected }) => expect(bits).toBeCloseTo(expected, 9));

  it("a more sensitive project has lower thresholds", () => {
    expect(pointThresholdBits(resolveSettings({ sensitivity: "high" }), 25, 1)).toBeLessThan(pointThresholdBits(s, 25, 1));
  });

  it("a 500-test trace stays within twice the family's budget", () => {
    let alpha = 0;
    for (let k = 1; k <= 500; k++) alpha += 2 ** -pointThresholdBits(s, 25, k);
    expect(alpha).toBeLessThan(2 * 0.35e-4);
  });
});

describe("scoreOf", () => {
  it.each([
    { name: "nothing", bits: 0, score: 0 },
    { name: "at the threshold", bits: 20, score: 0.5 },
    { name: "twice the threshold", bits: 40, score: 0.75 },
    { name: "three times", bits: 60, score: 0.875 },
  ])("$name", ({ bits, score }) => expect(scoreOf(bits, 20)).toBeCloseTo(score, 9));
});
