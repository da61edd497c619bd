import { describe, expect, it } from "vitest";
import { resolveSettings } from "./settings";

type S = ReturnType<typeof resolveSettings>;

describe("resolveSettings", () => {
  it.each([
    { name: "null gives the defaults (1 false alert per 10,000 traces)", raw: null, check: (s: S) => expect(s.falseAlertsPer10k).toBe(1) },
    { name: "reads the detection key", raw: { detection: { minHistory: 200 } }, check: (s: S) => expect(s.minHistory).toBe(200) },
    { name: "reads the root object", raw: { falseAlertsPer10k: 0.1 }, check: (s: S) => expect(s.falseAlertsPer10k).toBe(0.1) },
    { name: "the dashboard's sensitivity sets the budget", raw: { sensitivity: "high" }, check: (s: S) => expect(s.falseAlertsPer10k).toBe(10) },
    { name: "an explicit budget wins over the sensitivity", raw: { sensitivity: "high", detection: { falseAlertsPer10k: 2 } }, check: (s: S) => expect(s.falseAlertsPer10k).toBe(2) },
    { name: "merges severity thresholds", raw: { severity: { critical: 0.95 } }, check: (s: S) => expect(s.severity).toEqual({ low: 0.5, medium: 0.65, high: 0.8, critical: 0.95 }) },
    { name: "invalid settings fall back to the defaults", raw: { minHistory: -3 }, check: (s: S) => expect(s.minHistory).toBe(50) },
    { name: "unknown detectors are rejected as a whole", raw: { disabled: ["nope"] }, check: (s: S) => expect(s.disabled.size).toBe(0) },
    { name: "the alert thresholds of earlier versions are ignored", raw: { detection: { alertBits: { latency: 30 } } }, check: (s: S) => expect(s.falseAlertsPer10k).toBe(1) },
  ])("$name", ({ raw, check }) => check(resolveSettings(raw)));
});
