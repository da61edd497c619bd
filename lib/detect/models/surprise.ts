// Surprise in bits (-log2 p) and the risk score it maps to. Every detector speaks in bits so one
// threshold scale, one score and one severity table serve them all.
import { probit } from "simple-statistics";

const LN2 = Math.LN2;

/** ln(erfc(x)) for x >= 0 (Numerical Recipes erfcc, relative error < 1.2e-7 over the whole range). */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) + poly;
}

/** Bits of surprise of a standard normal value at least z (upper tail). 1 bit at z = 0. */
export function upperTailBits(z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 1024 : 0;
  if (z <= 0) {
    // p = 1 - erfc(-z/√2)/2 ∈ [0.5, 1)
    const p = 1 - Math.exp(logErfc(-z / Math.SQRT2)) / 2;
    return -Math.log2(p);
  }
  // p = erfc(z/√2)/2
  return -(logErfc(z / Math.SQRT2) - LN2) / LN2;
}

/** Bits of surprise of an event of probability p. */
export function probabilityBits(p: number): number {
  if (!(p > 0)) return 1024;
  return Math.max(0, -Math.log2(Math.min(1, p)));
}

/** z quantile of the standard normal, e.g. zQuantile(0.99) ≈ 2.326. */
export function zQuantile(p: number): number {
  return probit(p);
}

/**
 * Risk score in [0,1): 1 - 2^(-bits/alertBits). A signal exactly at its alert threshold scores 0.5,
 * twice the threshold 0.75, three times 0.875. Equivalently score = 1 - p^(1/alertBits).
 */
export function riskScore(bits: number, alertBits: number): number {
  if (!(bits > 0) || !(alertBits > 0)) return 0;
  return 1 - Math.pow(2, -bits / alertBits);
}

export type Severity = "info" | "low" | "medium" | "high" | "critical";

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

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
