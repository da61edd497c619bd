import { describe, expect, it } from "vitest";
import { probabilityBits, severityOf } from "./surprise";

const T = { low: 0.5, medium: 0.65, high: 0.8, critical: 0.9 };

describe("probabilityBits", () => {
  it.each([
    { name: "a coin flip is 1 bit", p: 0.5, bits: 1 },
    { name: "1/1024 is 10 bits", p: 1 / 1024, bits: 10 },
    { name: "certainty is 0 bits", p: 1, bits: 0 },
    { name: "probabilities above 1 count as certainty", p: 1.5, bits: 0 },
    { name: "an impossible event is capped", p: 0, bits: 1024 },
  ])("$name", ({ p, bits }) => expect(probabilityBits(p)).toBeCloseTo(bits, 9));
});

describe("severityOf", () => {
  it.each([
    { score: 0.3, severity: "info" },
    { score: 0.5, severity: "low" },
    { score: 0.7, severity: "medium" },
    { score: 0.85, severity: "high" },
    { score: 0.95, severity: "critical" },
  ])("score $score is $severity", ({ score, severity }) => expect(severityOf(score, T)).toBe(severity));
});
