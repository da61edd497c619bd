import { describe, expect, it } from "vitest";
import { probabilityBits, riskScore, severityOf, upperTailBits } from "./surprise";

const T = { low: 0.5, medium: 0.65, high: 0.8, critical: 0.9 };

describe("upperTailBits", () => {
  it.each([
    { name: "z = 0 is a coin flip", z: 0, bits: 1 },
    { name: "z = 1.6449 is p = 0.05", z: 1.6449, bits: -Math.log2(0.05) },
    { name: "z = 3.0902 is p = 0.001", z: 3.0902, bits: -Math.log2(0.001) },
    { name: "z = 4.7534 is p = 1e-6", z: 4.7534, bits: -Math.log2(1e-6) },
    { name: "z = 8.2221 is p = 1e-16 (far tail stays accurate)", z: 8.2221, bits: -Math.log2(1e-16) },
    { name: "z = -3 is almost certain", z: -3, bits: -Math.log2(1 - 0.0013499) },
  ])("$name", ({ z, bits }) => {
    expect(upperTailBits(z)).toBeCloseTo(bits, 2);
  });
  it("is monotone and finite for huge z", () => {
    expect(upperTailBits(40)).toBeGreaterThan(upperTailBits(20));
    expect(Number.isFinite(upperTailBits(40))).toBe(true);
  });
});

describe("riskScore and severity", () => {
  it.each([
    { name: "no surprise", bits: 0, score: 0, severity: "info" },
    { name: "at threshold", bits: 20, score: 0.5, severity: "low" },
    { name: "twice the threshold", bits: 40, score: 0.75, severity: "medium" },
    { name: "four times", bits: 80, score: 0.9375, severity: "critical" },
  ])("$name", ({ bits, score, severity }) => {
    const s = riskScore(bits, 20);
    expect(s).toBeCloseTo(score, 6);
    expect(severityOf(s, T)).toBe(severity);
  });
  it("probabilityBits of 1/1024 is 10", () => expect(probabilityBits(1 / 1024)).toBeCloseTo(10, 9));
});
