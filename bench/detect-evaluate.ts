// Scores detections against the generator's labels: precision, recall and F1 per class, and false
// alerts on clean traffic (per 10,000 clean traces after warm-up).
import type { AnomalyClass, Workload } from "./generator/generate-workload";

export const CLASS_DETECTORS: Record<AnomalyClass, string[]> = {
  latency_spike: ["latency"],
  token_blowup: ["tokens"],
  cost_spike: ["cost"],
  novel_transition: ["transition"],
  loop: ["loop"],
  long_chain: ["chain_length", "fanout"],
  error_burst: ["error", "error_rate"],
  traffic_surge: ["volume"],
};

/** Incident detections count up to this long after the incident ends (detection delay). */
const INCIDENT_GRACE_MS = 60_000;

export interface DetectedAnomaly {
  detector: string;
  traceId: string;
}

export interface ClassScore {
  cls: AnomalyClass;
  injected: number;
  detected: number;
  alerts: number;
  truePositiveAlerts: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  classes: ClassScore[];
  cleanTraces: number;
  falseAlerts: number;
  falseAlertsPer10k: number;
  falseByDetector: Record<string, number>;
}

export function evaluate(w: Workload, anomalies: readonly DetectedAnomaly[]): Evaluation {
  const traces = new Map(w.traces.map((t) => [t.traceId, t]));
  const inIncident = (traceId: string, cls?: AnomalyClass) => {
    const t = traces.get(traceId);
    if (!t) return null;
    return w.incidents.find((i) => (!cls || i.cls === cls) && i.agent === t.agent.name && t.startMs >= i.startMs && t.startMs < i.endMs + INCIDENT_GRACE_MS) ?? null;
  };
  const classes: ClassScore[] = [];
  for (const [cls, detectors] of Object.entries(CLASS_DETECTORS) as Array<[AnomalyClass, string[]]>) {
    const relevant = anomalies.filter((a) => detectors.includes(a.detector));
    const isIncident = cls === "error_burst" || cls === "traffic_surge";
    let injected: number;
    const hits = new Set<string>();
    let tp = 0;
    if (isIncident) {
      const incidents = w.incidents.filter((i) => i.cls === cls);
      injected = incidents.length;
      for (const a of relevant) {
        const inc = inIncident(a.traceId, cls);
        if (inc) {
          tp++;
          hits.add(`${inc.agent}@${inc.startMs}`);
        }
      }
    } else {
      injected = w.traces.filter((t) => t.label === cls).length;
      for (const a of relevant) {
        if (traces.get(a.traceId)?.label === cls) {
          tp++;
          hits.add(a.traceId);
        }
      }
    }
    const precision = relevant.length ? tp / relevant.length : 1;
    const recall = injected ? hits.size / injected : 1;
    classes.push({ cls, injected, detected: hits.size, alerts: relevant.length, truePositiveAlerts: tp, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 });
  }
  const clean = w.traces.filter((t) => t.label === null && t.startMs >= w.warmupEndMs && !inIncident(t.traceId));
  const cleanIds = new Set(clean.map((t) => t.traceId));
  const falseOnes = anomalies.filter((a) => cleanIds.has(a.traceId));
  const falseByDetector: Record<string, number> = {};
  for (const a of falseOnes) falseByDetector[a.detector] = (falseByDetector[a.detector] ?? 0) + 1;
  return { classes, cleanTraces: clean.length, falseAlerts: falseOnes.length, falseAlertsPer10k: clean.length ? (falseOnes.length / clean.length) * 10_000 : 0, falseByDetector };
}
