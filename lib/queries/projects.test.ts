import { describe, expect, it } from "vitest";
import { applyBudget, applySensitivity, sensitivityOf } from "./projects";
import { resolveSettings } from "../detect/settings";

describe("project detection settings", () => {
  it.each([
    { name: "a sensitivity level sets its budget", apply: () => applySensitivity({ detection: { minHistory: 80 } }, "high"), budget: 10, sensitivity: "high", minHistory: 80 },
    { name: "a custom budget replaces the level", apply: () => applyBudget({ sensitivity: "low", detection: { falseAlertsPer10k: 0.1, minHistory: 80 } }, 1000), budget: 1000, sensitivity: undefined, minHistory: 80 },
    { name: "a level after a custom budget wins again", apply: () => applySensitivity(applyBudget(null, 1000), "low"), budget: 0.1, sensitivity: "low", minHistory: 50 },
    { name: "the legacy alertBits table is dropped", apply: () => applyBudget({ detection: { alertBits: { latency: 14 } } }, 3), budget: 3, sensitivity: undefined, minHistory: 50 },
  ])("$name", ({ apply, budget, sensitivity, minHistory }) => {
    const settings = apply();
    expect(settings.sensitivity).toBe(sensitivity);
    expect((settings.detection as Record<string, unknown>).alertBits).toBeUndefined();
    const resolved = resolveSettings(settings);
    expect(resolved.falseAlertsPer10k).toBe(budget);
    expect(resolved.minHistory).toBe(minHistory);
  });
});

describe("sensitivityOf", () => {
  it.each([
    { name: "a level", settings: { sensitivity: "high" }, level: "high" },
    { name: "a custom budget", settings: { detection: { falseAlertsPer10k: 3 } }, level: null },
    { name: "no settings", settings: null, level: null },
    { name: "an unknown value", settings: { sensitivity: "extreme" }, level: null },
  ])("$name", ({ settings, level }) => {
    expect(sensitivityOf(settings)).toBe(level);
  });
});
