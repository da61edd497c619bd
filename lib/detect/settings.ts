// Per-project detection settings, read from Project.settings JSON (key "detection", or the root
// object). Missing values fall back to the defaults below; an invalid object is ignored (defaults).
// Thresholds are not set per detector: they follow from one false-alarm budget (budget.ts).
import { z } from "zod";
import type { Severity } from "../alerts/severity";
import type { SeverityThresholds } from "./models/surprise";

export const DETECTORS = ["latency", "tokens", "cost", "error", "transition", "loop", "chain_length", "fanout", "volume", "error_rate", "cost_rate"] as const;
export type Detector = (typeof DETECTORS)[number];

const unit = z.number().min(0).max(1);

/** Dashboard sensitivity → false alerts per 10,000 traces on normal traffic. */
export const SENSITIVITY_BUDGET = { low: 0.1, medium: 1, high: 10 } as const;
export type Sensitivity = keyof typeof SENSITIVITY_BUDGET;

export const DetectionSettingsSchema = z.object({
  /** The false-alarm budget: alerts expected on normal traffic per 10,000 traces (and per 10,000 key-hours for rates). */
  falseAlertsPer10k: z.number().positive().max(1000).optional(),
  /** Observations a span key needs before it may alert (it learns meanwhile). */
  minHistory: z.number().int().min(1).max(1_000_000).default(50),
  /** Runs an agent needs before its chain models may alert. */
  chainMinHistory: z.number().int().min(1).max(1_000_000).default(100),
  severity: z.object({ low: unit, medium: unit, high: unit, critical: unit }).partial().default({}),
  minSeverity: z.enum(["low", "medium", "high", "critical"]).default("low"),
  disabled: z.array(z.enum(DETECTORS)).default([]),
});

export interface DetectionSettings {
  falseAlertsPer10k: number;
  minHistory: number;
  chainMinHistory: number;
  severity: SeverityThresholds;
  minSeverity: Exclude<Severity, "info">;
  disabled: ReadonlySet<Detector>;
}

export const DEFAULT_SEVERITY: SeverityThresholds = { low: 0.5, medium: 0.65, high: 0.8, critical: 0.9 };
export const DEFAULT_FALSE_ALERTS_PER_10K = SENSITIVITY_BUDGET.medium;

export function resolveSettings(raw: unknown): DetectionSettings {
  const root = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const source = "detection" in root ? root.detection : raw;
  const parsed = DetectionSettingsSchema.safeParse(source ?? {});
  const s = parsed.success ? parsed.data : DetectionSettingsSchema.parse({});
  const sensitivity = typeof root.sensitivity === "string" && root.sensitivity in SENSITIVITY_BUDGET ? (root.sensitivity as Sensitivity) : null;
  return {
    falseAlertsPer10k: s.falseAlertsPer10k ?? (sensitivity ? SENSITIVITY_BUDGET[sensitivity] : DEFAULT_FALSE_ALERTS_PER_10K),
    minHistory: s.minHistory,
    chainMinHistory: s.chainMinHistory,
    severity: { ...DEFAULT_SEVERITY, ...s.severity },
    minSeverity: s.minSeverity,
    disabled: new Set(s.disabled),
  };
}

export const DEFAULT_SETTINGS = resolveSettings({});
