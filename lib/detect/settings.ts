// Per-project detection settings, read from Project.settings JSON (key "detection", or the root
// object). Missing values fall back to the defaults below; an invalid object is ignored (defaults).
import { z } from "zod";
import type { Severity, SeverityThresholds } from "./models/surprise";

export const DETECTORS = ["latency", "tokens", "cost", "error", "transition", "loop", "chain_length", "fanout", "volume", "error_rate", "cost_rate"] as const;
export type Detector = (typeof DETECTORS)[number];

/** Alert thresholds in bits of surprise (20 bits ≈ p = 1e-6; 8 bits = 1/256). */
export const DEFAULT_ALERT_BITS: Record<Detector, number> = {
  latency: 20,
  tokens: 20,
  cost: 20,
  error: 20,
  transition: 8,
  loop: 8,
  chain_length: 20,
  fanout: 20,
  volume: 20,
  error_rate: 20,
  cost_rate: 20,
};

const bits = z.number().positive().max(200);
const unit = z.number().min(0).max(1);

export const DetectionSettingsSchema = z.object({
  /** Observations a span key needs before it may alert (it learns meanwhile). */
  minHistory: z.number().int().min(1).max(1_000_000).default(50),
  /** Runs an agent needs before its chain models may alert. */
  chainMinHistory: z.number().int().min(1).max(1_000_000).default(100),
  /** Alerted runs after which a never-seen transition is accepted as normal. */
  quarantineRuns: z.number().int().min(1).max(10_000).default(20),
  alertBits: z.object(Object.fromEntries(DETECTORS.map((d) => [d, bits.optional()])) as Record<Detector, z.ZodOptional<typeof bits>>).partial().default({}),
  severity: z.object({ low: unit, medium: unit, high: unit, critical: unit }).partial().default({}),
  minSeverity: z.enum(["low", "medium", "high", "critical"]).default("low"),
  disabled: z.array(z.enum(DETECTORS)).default([]),
});

export interface DetectionSettings {
  minHistory: number;
  chainMinHistory: number;
  quarantineRuns: number;
  alertBits: Record<Detector, number>;
  severity: SeverityThresholds;
  minSeverity: Exclude<Severity, "info">;
  disabled: ReadonlySet<Detector>;
}

export const DEFAULT_SEVERITY: SeverityThresholds = { low: 0.5, medium: 0.65, high: 0.8, critical: 0.9 };

export function resolveSettings(raw: unknown): DetectionSettings {
  const source = raw && typeof raw === "object" && "detection" in raw ? (raw as { detection: unknown }).detection : raw;
  const parsed = DetectionSettingsSchema.safeParse(source ?? {});
  const s = parsed.success ? parsed.data : DetectionSettingsSchema.parse({});
  const alertBits = { ...DEFAULT_ALERT_BITS };
  for (const d of DETECTORS) alertBits[d] = s.alertBits[d] ?? alertBits[d];
  return {
    minHistory: s.minHistory,
    chainMinHistory: s.chainMinHistory,
    quarantineRuns: s.quarantineRuns,
    alertBits,
    severity: { ...DEFAULT_SEVERITY, ...s.severity },
    minSeverity: s.minSeverity,
    disabled: new Set(s.disabled),
  };
}

export const DEFAULT_SETTINGS = resolveSettings({});
