// Scores a replayed scenario against its ground truth. Pure functions.
// - An anomaly is measured when created after warm-up and no later than the end of traffic (rows
//   about injected episodes up to 15 minutes later: runs started before the end finish after it).
// - It is explained by an episode when it is about one of the episode's traces (window episodes:
//   from a detector the episode can move, classes.ts), or (rate detectors, window episodes) when it is
//   about the episode's service within the episode's time (+ grace).
// - An episode is detected when an explaining anomaly comes from one of its class's detectors.
// - False alerts: measured anomalies no episode explains, per 10,000 clean traces (or calls).
import { CLASS_DETECTORS, RATE_DETECTORS, WINDOW_CLASSES, WINDOW_EXPLAINS, WINDOW_GRACE_MS, targetFor, type ClassTarget } from "./classes";
import type { AnomalyClass, Episode, ScenarioTraffic, TraceTruth } from "../traffic/types";

export interface AnomalyLike {
  detector: string;
  metric: string;
  entity: string;
  traceId: string;
  spanId: string | null;
  createdAtMs: number;
  alertId?: string | null;
  details?: Record<string, unknown> | null;
  explanation?: string;
}

export type TruthLike = Pick<ScenarioTraffic, "traces" | "episodes" | "warmupEndMs" | "endMs" | "unit"> & Partial<Pick<ScenarioTraffic, "watch">>;

export interface EpisodeResult {
  id: string;
  cls: AnomalyClass;
  size: string;
  key: Episode["key"];
  note?: string;
  detected: boolean;
  /** Seconds from the episode's start to its first detection. */
  delaySeconds: number | null;
  /** Calls of the affected key up to the first detection (window episodes). */
  delayCalls: number | null;
  calls: number;
  rows: number;
  alerts: number;
}

export interface ClassResult {
  cls: AnomalyClass;
  size: string;
  injected: number;
  detected: number;
  recall: number;
  /** Detected within the target's limits (calls / seconds), when the target has limits. */
  withinTarget: number | null;
  delaySeconds: { p50: number; max: number } | null;
  delayCalls: { p50: number; max: number } | null;
  rowsPerEpisode: { mean: number; max: number };
  target: ClassTarget | null;
  pass: boolean | null;
}

export interface ScenarioEvaluation {
  measured: number;
  explained: number;
  falseAlerts: number;
  cleanUnits: number;
  falsePer10k: number;
  falseByDetector: Record<string, number>;
  precision: number;
  episodes: EpisodeResult[];
  classes: ClassResult[];
  /** Anomalies created after the traffic ended (the bench's end, not counted). */
  afterEnd: number;
  /** Rows about the watched spans (model upgrade), when the scenario watches some. */
  watched: { label: string; rows: number; max: number } | null;
  sampleFalse: string[];
}

/** How long after the end of traffic rows about injected episodes still count. */
export const END_GRACE_MS = 15 * 60_000;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function inWindow(a: AnomalyLike, e: Episode): boolean {
  const from = e.startMs - 60_000;
  const to = e.endMs + WINDOW_GRACE_MS;
  if (a.createdAtMs >= from && a.createdAtMs <= to) return true;
  const ws = a.details?.windowStart;
  const w = typeof ws === "number" ? ws : typeof ws === "string" ? Date.parse(ws) : NaN;
  return Number.isFinite(w) && w >= from && w <= to;
}

/** Whether the anomaly is about this episode (any detector). */
export function related(a: AnomalyLike, e: Episode, traceSets: Map<string, Set<string>>, traces: Map<string, TraceTruth>): boolean {
  let set = traceSets.get(e.id);
  if (!set) traceSets.set(e.id, (set = new Set(e.traceIds)));
  if (set.has(a.traceId)) {
    if (!WINDOW_CLASSES.has(e.cls)) return true;
    if (!inWindow(a, e)) return false;
    const ex = WINDOW_EXPLAINS[e.cls] ?? [];
    if (e.cls === "traffic_drop" || e.cls === "traffic_surge") return RATE_DETECTORS.has(a.detector) || CLASS_DETECTORS[e.cls].includes(a.detector);
    return ex === "any" || RATE_DETECTORS.has(a.detector) || CLASS_DETECTORS[e.cls].includes(a.detector) || ex.includes(a.detector);
  }
  if (!WINDOW_CLASSES.has(e.cls) || a.spanId !== null || !RATE_DETECTORS.has(a.detector)) return false;
  if (!inWindow(a, e)) return false;
  const t = traces.get(a.traceId);
  const k = e.key;
  const sameService = t ? t.service === k.service : a.entity.includes(k.service);
  if (!sameService) return false;
  return !k.agent || !t || t.agent === k.agent || a.entity.includes(k.agent) || !a.entity.includes("/");
}

export function evaluateScenario(truth: TruthLike, anomalies: readonly AnomalyLike[]): ScenarioEvaluation {
  const traces = new Map(truth.traces.map((t) => [t.traceId, t]));
  const traceSets = new Map<string, Set<string>>();
  const episodes = truth.episodes.filter((e) => e.startMs >= truth.warmupEndMs && e.startMs < truth.endMs);
  // Runs started before the end finish (and are scored) after it: rows about episodes count until
  // END_GRACE_MS after the end; unexplained rows after the end are the bench's end, not traffic.
  const pool = anomalies.filter((a) => a.createdAtMs >= truth.warmupEndMs && a.createdAtMs <= truth.endMs + END_GRACE_MS);
  const explainedBy = new Map<AnomalyLike, Episode[]>();
  for (const a of pool) {
    const list = episodes.filter((e) => related(a, e, traceSets, traces));
    if (list.length) explainedBy.set(a, list);
  }
  const measured = pool.filter((a) => a.createdAtMs <= truth.endMs || explainedBy.has(a));
  const afterEnd = anomalies.filter((a) => a.createdAtMs > truth.endMs && !explainedBy.has(a)).length;

  const episodeResults: EpisodeResult[] = episodes.map((e) => {
    const detectors = CLASS_DETECTORS[e.cls];
    const hits = measured.filter((a) => detectors.includes(a.detector) && explainedBy.get(a)?.includes(e)).sort((x, y) => x.createdAtMs - y.createdAtMs);
    const first = hits[0];
    let delayCalls: number | null = null;
    if (first && WINDOW_CLASSES.has(e.cls) && e.cls !== "traffic_drop" && e.cls !== "traffic_surge") {
      const idx = first.spanId ? e.callSpanIds.indexOf(first.spanId) : -1;
      // The span that tripped the detector, else the calls the server could have seen by then (received ≈ 5 s after they end).
      delayCalls = idx >= 0 ? idx + 1 : Math.max(1, e.callEndMs.filter((t) => t <= first.createdAtMs - 5000).length);
    }
    return {
      id: e.id, cls: e.cls, size: e.size, key: e.key, note: e.note, detected: !!first,
      delaySeconds: first ? Math.max(0, (first.createdAtMs - e.startMs) / 1000) : null,
      delayCalls, calls: e.callEndMs.length, rows: hits.length, alerts: new Set(hits.map((h) => h.alertId ?? `row:${h.createdAtMs}`)).size,
    };
  });

  const groups = new Map<string, EpisodeResult[]>();
  for (const r of episodeResults) {
    const k = `${r.cls}\u0000${r.size}`;
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  const classes: ClassResult[] = [...groups.values()].map((list) => classResult(list));

  const falseOnes = measured.filter((a) => !explainedBy.has(a));
  const falseByDetector: Record<string, number> = {};
  for (const a of falseOnes) falseByDetector[a.detector] = (falseByDetector[a.detector] ?? 0) + 1;
  const cleanUnits = truth.traces.filter((t) => t.startMs >= truth.warmupEndMs && t.startMs < truth.endMs && t.episodes.length === 0).length;
  return {
    measured: measured.length,
    explained: explainedBy.size,
    falseAlerts: falseOnes.length,
    cleanUnits,
    falsePer10k: cleanUnits ? (falseOnes.length / cleanUnits) * 10_000 : 0,
    falseByDetector,
    precision: measured.length ? explainedBy.size / measured.length : 1,
    episodes: episodeResults,
    classes,
    afterEnd,
    watched: truth.watch ? watchedRows(truth.watch, measured) : null,
    sampleFalse: falseOnes.slice(0, 40).map((a) => `${a.detector}/${a.metric} ${a.entity}: ${a.explanation ?? ""}`),
  };
}

function watchedRows(w: NonNullable<TruthLike["watch"]>, measured: readonly AnomalyLike[]): { label: string; rows: number; max: number } {
  const ids = new Set(w.spanIds);
  const rows = measured.filter((a) => a.createdAtMs >= w.fromMs && (a.spanId ? ids.has(a.spanId) : a.entity.includes(w.entityIncludes))).length;
  return { label: w.label, rows, max: w.max };
}

export function classResult(list: readonly EpisodeResult[]): ClassResult {
  const { cls, size } = list[0]!;
  const target = targetFor(cls, size);
  const detected = list.filter((r) => r.detected);
  const within = target && (target.withinCalls || target.withinSeconds)
    ? list.filter((r) => r.detected && (!target.withinCalls || (r.delayCalls ?? Infinity) <= target.withinCalls) && (!target.withinSeconds || (r.delaySeconds ?? Infinity) <= target.withinSeconds)).length
    : null;
  const seconds = detected.map((r) => r.delaySeconds!);
  const calls = detected.filter((r) => r.delayCalls !== null).map((r) => r.delayCalls!);
  const rows = list.map((r) => r.rows);
  const recall = list.length ? detected.length / list.length : 0;
  const rowsMax = rows.length ? Math.max(...rows) : 0;
  let pass: boolean | null = null;
  if (target) {
    const share = within !== null ? within / list.length : recall;
    pass = share >= (target.recall ?? 0) && (target.maxRowsPerEpisode === undefined || rowsMax <= target.maxRowsPerEpisode);
  }
  return {
    cls, size, injected: list.length, detected: detected.length, recall, withinTarget: within,
    delaySeconds: seconds.length ? { p50: quantile(seconds, 0.5), max: Math.max(...seconds) } : null,
    delayCalls: calls.length ? { p50: quantile(calls, 0.5), max: Math.max(...calls) } : null,
    rowsPerEpisode: { mean: rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0, max: rowsMax },
    target, pass,
  };
}

/** Precision, recall and F1 over several injected scenarios. */
export function overall(evals: readonly ScenarioEvaluation[]): { precision: number; recall: number; f1: number; injected: number; detected: number; measured: number; explained: number } {
  const measured = evals.reduce((n, e) => n + e.measured, 0);
  const explained = evals.reduce((n, e) => n + e.explained, 0);
  const injected = evals.reduce((n, e) => n + e.episodes.length, 0);
  const detected = evals.reduce((n, e) => n + e.episodes.filter((x) => x.detected).length, 0);
  const precision = measured ? explained / measured : 1;
  const recall = injected ? detected / injected : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, injected, detected, measured, explained };
}
