// Surprise in bits (-log2 p) and the severity of a score. Every detector speaks in bits, so one
// threshold language (budget.ts), one score and one severity table serve them all. The scale itself is
// Argus's one severity scale (lib/alerts/severity.ts).
import type { Severity } from "../../alerts/severity";

/** Bits of surprise of an event of probability p. */
export function probabilityBits(p: number): number {
  if (!(p > 0)) return 1024;
  return Math.max(0, -Math.log2(Math.min(1, p)));
}

export interface SeverityThresholds {
  low: number;
  medium: number;
  high: number;
  critical: number;
}

export function severityOf(score: number, t: SeverityThresholds): Severity {
  if (score >= t.critical) return "critical";
  if (score >= t.high) return "high";
  if (score >= t.medium) return "medium";
  if (score >= t.low) return "low";
  return "info";
}
