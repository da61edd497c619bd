// Building anomaly rows: severity from the score (rows below the project's minimum are dropped) and
// the alert fingerprint (one alert per detector and entity).
import { severityRank } from "../alerts/severity";
import { severityOf } from "./models/surprise";
import type { DetectionSettings } from "./settings";
import { fingerprintOf, type AnomalyDraft } from "./types";

export type DraftInput = Omit<AnomalyDraft, "severity" | "fingerprint">;

export function pushAnomaly(out: AnomalyDraft[], settings: DetectionSettings, a: DraftInput): void {
  const severity = severityOf(a.score, settings.severity);
  if (severityRank(severity) < severityRank(settings.minSeverity)) return;
  out.push({ ...a, severity, fingerprint: fingerprintOf(a.projectId, a.detector, a.entity) });
}

/** Two decimals, for the numbers kept in anomaly details. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
