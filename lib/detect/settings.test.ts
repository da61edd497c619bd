import { describe, expect, it } from "vitest";
import { DEFAULT_ALERT_BITS, resolveSettings } from "./settings";

describe("resolveSettings", () => {
  it.each([
    { name: "null gives the defaults", raw: null, check: (s: ReturnType<typeof resolveSettings>) => expect(s.alertBits).toEqual(DEFAULT_ALERT_BITS) },
    { name: "reads the detection key", raw: { detection: { minHistory: 200 } }, check: (s: ReturnType<typeof resolveSettings>) => expect(s.minHistory).toBe(200) },
    { name: "reads the root object", raw: { alertBits: { latency: 30 } }, check: (s: ReturnType<typeof resolveSettings>) => expect(s.alertBits.latency).toBe(30) },
    { name: "merges severity thresholds", raw: { severity: { critical: 0.95 } }, check: (s: ReturnType<typeof resolveSettings>) => expect(s.severity).toEqual({ low: 0.5, medium: 0.65, high: 0.8, critical: 0.95 }) },
    { name: "invalid settings fall back to the defaults", raw: { minHistory: -3 }, check: (s: ReturnType<typeof resolveSettings>) => expect(s.minHistory).toBe(50) },
    { name: "unknown detectors are rejected as a whole", raw: { disabled: ["nope"] }, check: (s: ReturnType<typeof resolveSettings>) => expect(s.disabled.size).toBe(0) },
  ])("$name", ({ raw, check }) => check(resolveSettings(raw)));
});
