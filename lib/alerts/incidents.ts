// One incident per problem: the anomalies one trace shows together are one alert, headed by the signal
// that explains the others (cause before consequence), with the rest listed as related signals. Pure.
import { activeKeyFor } from "./active-key";
import { severityRank } from "./severity";
import type { AnomalyForAlert } from "./types";

/**
 * Rate detectors judge a key's traffic over minutes, not one trace (their trace id only points at a
 * recent example): they never join a trace's incident and group by fingerprint alone.
 */
export const RATE_DETECTORS: ReadonlySet<string> = new Set(["volume", "error_rate", "cost_rate"]);

export function isTraceBound(a: Pick<AnomalyForAlert, "detector">): boolean {
  return !RATE_DETECTORS.has(a.detector);
}

/**
 * How well a signal explains the other signals of its trace; lower explains more. The order follows
 * what causes what in an agent run:
 * 0. A loop repeats steps: the chain grows longer and wider, a step follows itself (a transition never
 *    seen), the path is improbable, and the carried context makes calls slower and costlier.
 * 1. A step the agent never used (a new tool): failures and the detours around it follow from it.
 * 2. Errors: a failing call makes the agent retry and take fallback paths.
 * 3. A never-seen transition between known steps: a changed decision, whose shape the chain then shows.
 * 4. Everything else is a consequence or a symptom (path surprise, chain length, fan-out, latency,
 *    tokens, cost, rates): among those, the strongest signal leads.
 */
export function causeRank(a: Pick<AnomalyForAlert, "detector" | "metric">): number {
  if (a.detector === "loop") return 0;
  if (a.detector === "transition" && a.metric === "novel_step") return 1;
  if (a.detector === "error") return 2;
  if (a.detector === "transition" && a.metric === "novel_transition") return 3;
  return 4;
}

/** True when `a` makes a better headline than `b`: cause first, then severity, score, latest, id. */
export function headsBefore(a: AnomalyForAlert, b: AnomalyForAlert): boolean {
  const byCause = causeRank(b) - causeRank(a);
  if (byCause !== 0) return byCause > 0;
  const bySeverity = severityRank(a.severity) - severityRank(b.severity);
  if (bySeverity !== 0) return bySeverity > 0;
  if (a.score !== b.score) return a.score > b.score;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt > b.createdAt;
  return a.id < b.id;
}

export function pickHeadline(anomalies: readonly AnomalyForAlert[]): AnomalyForAlert {
  let best = anomalies[0];
  if (!best) throw new Error("pickHeadline needs at least one anomaly");
  for (const a of anomalies) if (headsBefore(a, best)) best = a;
  return best;
}

/** Where a group of anomalies is recorded: an open alert found by its trace, or the headline's fingerprint. */
export type IncidentTarget = { kind: "alert"; alertId: string } | { kind: "fingerprint"; activeKey: string };

export interface Incident {
  target: IncidentTarget;
  headline: AnomalyForAlert;
  anomalies: AnomalyForAlert[];
}

export function traceKeyOf(a: Pick<AnomalyForAlert, "projectId" | "traceId">): string {
  return `${a.projectId}|${a.traceId}`;
}

const targetKey = (t: IncidentTarget) => (t.kind === "alert" ? `alert:${t.alertId}` : `key:${t.activeKey}`);

/**
 * Groups anomalies into incidents:
 * - the trace-bound anomalies of one trace form one group; its headline is `pickHeadline`;
 * - a trace whose earlier anomalies sit in an open alert (`openAlertByTrace`, keyed by `traceKeyOf`)
 *   joins that alert, so signals of one run found in different scorer batches stay together;
 * - otherwise the group goes to the active alert of its headline's fingerprint, so different traces
 *   with the same cause share one alert (and groups with the same target merge here);
 * - rate anomalies group by their own fingerprint.
 */
export function groupIncidents(anomalies: readonly AnomalyForAlert[], openAlertByTrace: ReadonlyMap<string, string> = new Map()): Incident[] {
  const byTrace = new Map<string, AnomalyForAlert[]>();
  const units: Array<{ target: IncidentTarget; anomalies: AnomalyForAlert[] }> = [];
  for (const a of anomalies) {
    if (!isTraceBound(a)) {
      units.push({ target: { kind: "fingerprint", activeKey: activeKeyFor(a.projectId, a.fingerprint) }, anomalies: [a] });
      continue;
    }
    const key = traceKeyOf(a);
    const list = byTrace.get(key);
    if (list) list.push(a);
    else byTrace.set(key, [a]);
  }
  for (const [key, list] of byTrace) {
    const joined = openAlertByTrace.get(key);
    const headline = pickHeadline(list);
    units.push({
      target: joined ? { kind: "alert", alertId: joined } : { kind: "fingerprint", activeKey: activeKeyFor(headline.projectId, headline.fingerprint) },
      anomalies: list,
    });
  }
  const merged = new Map<string, Incident>();
  for (const u of units) {
    const key = targetKey(u.target);
    const seen = merged.get(key);
    if (seen) seen.anomalies.push(...u.anomalies);
    else merged.set(key, { target: u.target, headline: u.anomalies[0]!, anomalies: [...u.anomalies] });
  }
  for (const incident of merged.values()) incident.headline = pickHeadline(incident.anomalies);
  return [...merged.values()];
}
