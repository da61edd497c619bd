// Span-level scoring: each leaf span's latency, tokens and cost against its key's baseline (spikes,
// empty outputs, fast failures, level and variance shifts), and each span's status against its key's
// error CUSUMs. Pure: state in, scores and anomalies out (state is updated in place).
// Key: (project, service, agent, step, model). Container spans (agent, chain) sum their children and
// are judged by the chain models, so one slow tool call is one anomaly, not two.
import { modelFamily } from "@/lib/ingest/model-name";
import { pushAnomaly, round } from "./anomaly-draft";
import { changeThresholdBits, DEFAULT_TESTS_PER_TRACE, errorThresholdBits, pointThresholdBits, scoreOf } from "./budget";
import { baselineExplanation, changeExplanation, formatPercent, formatValue, spanLabel, type Unit } from "./explain";
import { assess, DEFAULT_BASELINE_PARAMS, isAccepted, learn, quantileAround, type Assessment, type Baseline, type BaselineChange, type BaselineParams } from "./models/baseline";
import { probabilityBits } from "./models/surprise";
import { DEFAULT_ERROR_MEMORY, ERROR_ALTERNATIVES, observeStep, type StepErrorParams } from "./models/step-errors";
import type { DetectionSettings, Detector } from "./settings";
import { classState, spanKeyState, stateKey, type ClassState, type PartitionState, type PendingTrace, type ProjectProfile, type SpanKeyState } from "./state";
import type { AnomalyDraft, SpanRecord } from "./types";

interface MetricSpec {
  detector: Detector;
  metric: string;
  what: string;
  unit: Unit;
  /** value → transformed y, and back. */
  y: (v: number) => number;
  back: (y: number) => number;
  /**
   * The smallest difference worth reporting, on the transformed scale (log: relative): errors are
   * measured in at least this unit, and a level or spread change below it is absorbed silently. Cost
   * follows tokens almost exactly, so without it a 2 % wobble in the price mix would be "significant".
   */
  params: BaselineParams;
  /** Where the metric's errors live in a key's reference class. */
  classMetric: keyof ClassState;
}

const LOG1P: Pick<MetricSpec, "y" | "back"> = { y: (v) => Math.log1p(v), back: (y) => Math.max(0, Math.expm1(y)) };
const resolution = (minSpread: number): BaselineParams => ({ ...DEFAULT_BASELINE_PARAMS, minSpread });
export const LATENCY: MetricSpec = { detector: "latency", metric: "duration_ms", what: "latency", unit: "ms", ...LOG1P, params: resolution(0.02), classMetric: "latency" };
export const INPUT: MetricSpec = { detector: "tokens", metric: "input_tokens", what: "input tokens", unit: "count", ...LOG1P, params: resolution(0.05), classMetric: "inputTokens" };
export const OUTPUT: MetricSpec = { detector: "tokens", metric: "output_tokens", what: "output tokens", unit: "count", ...LOG1P, params: resolution(0.05), classMetric: "outputTokens" };
// Cost in micro-dollars so log1p behaves like a log over the useful range.
export const COST: MetricSpec = { detector: "cost", metric: "cost_usd", what: "cost", unit: "usd", y: (v) => Math.log1p(v * 1e6), back: (y) => Math.max(0, Math.expm1(y) / 1e6), params: resolution(0.1), classMetric: "cost" };

export interface SpanBatchResult {
  /** Anomaly score in [0,1] of each span, in input order. */
  scores: Float64Array;
  anomalies: AnomalyDraft[];
}

/** A span's key: a failed call (the requested alias) and a successful one (a dated snapshot) share it. */
export function spanEntity(s: Pick<SpanRecord, "service" | "agent" | "step" | "model">): string {
  return `${s.service}/${s.agent ?? "-"}/${s.step}/${s.model === null ? "-" : modelFamily(s.model)}`;
}

export function projectProfile(st: PartitionState, projectId: string): ProjectProfile {
  return (st.meta.profiles[projectId] ??= { testsPerTrace: DEFAULT_TESTS_PER_TRACE, observationsPerTrace: DEFAULT_TESTS_PER_TRACE, spansPerTrace: 10, traces: 0 });
}

/** Learns what a completed trace brought (tests, observations, spans) into its project's profile. */
export function learnTraceSize(st: PartitionState, entry: PendingTrace): void {
  const p = projectProfile(st, entry.projectId);
  const a = Math.max(1 / (p.traces + 1), 0.01);
  p.testsPerTrace += a * (entry.tests - p.testsPerTrace);
  p.observationsPerTrace += a * (entry.observations - p.observationsPerTrace);
  p.spansPerTrace += a * (entry.spans - p.spansPerTrace);
  p.traces += 1;
}

/** A fresh per-trace counter (for callers that score spans outside the scorer's pending traces). */
export function newTraceEntry(span: Pick<SpanRecord, "projectId" | "traceId">, nowMs: number): PendingTrace {
  return { projectId: span.projectId, traceId: span.traceId, lastSeq: 0, lastReceivedMs: 0, rootSeen: false, firstSeenMs: nowMs, tests: 0, observations: 0, spans: 0 };
}

/** Scores spans in order, each as the first span of its own trace counter (tests and the offline benches). */
export function scoreSpanBatch(st: PartitionState, spans: readonly SpanRecord[], settingsFor: (projectId: string) => DetectionSettings): SpanBatchResult {
  const scores = new Float64Array(spans.length);
  const anomalies: AnomalyDraft[] = [];
  const entries = new Map<string, PendingTrace>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const key = `${span.projectId}|${span.traceId}`;
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = newTraceEntry(span, span.receivedMs)));
    scores[i] = scoreSpan(st, span, entry, settingsFor(span.projectId), anomalies);
  }
  return { scores, anomalies };
}

/** Scores one span (its agent is known) and learns it; returns its score. */
export function scoreSpan(st: PartitionState, span: SpanRecord, entry: PendingTrace, settings: DetectionSettings, out: AnomalyDraft[]): number {
  const entity = spanEntity(span);
  const ks = spanKeyState(st, stateKey(span.projectId, entity));
  const profile = projectProfile(st, span.projectId);
  const calls = (entry.calls ??= {});
  const iteration = calls[entity] ?? 0;
  calls[entity] = iteration + 1;
  const ctx: MetricContext = { span, entity, settings, entry, profile, out, firstInTrace: iteration === 0, reference: null };
  entry.spans += 1;
  let score = 0;
  const isError = span.statusCode === 2;
  if (span.kind !== "agent" && span.kind !== "chain") {
    ctx.reference = classState(st, stateKey(span.projectId, span.kind));
    // The input of the k-th call of a step in one run grows with k (an agent loop carries its context along).
    score = Math.max(score, scoreMetric(ctx, INPUT, ks.inputTokens, span.inputTokens, Math.log1p(iteration), null));
    // A failed call's latency, output and cost say how it failed, not how the step behaves: the error model
    // judges failures, and the baselines learn successful calls only.
    if (!isError) {
      score = Math.max(score, scoreMetric(ctx, LATENCY, ks.latency, span.durationMs, spanRegressor(span, LATENCY), "drop"));
      score = Math.max(score, scoreMetric(ctx, OUTPUT, ks.outputTokens, span.outputTokens, undefined, "empty"));
      score = Math.max(score, scoreMetric(ctx, COST, ks.cost, span.costUsd, spanRegressor(span, COST), null));
    }
  }
  return Math.max(score, scoreErrors(ctx, ks, isError));
}

interface MetricContext {
  span: SpanRecord;
  entity: string;
  settings: DetectionSettings;
  entry: PendingTrace;
  profile: ProjectProfile;
  out: AnomalyDraft[];
  /** The span is its key's first call in this trace (only first calls feed the change detectors). */
  firstInTrace: boolean;
  /** The reference class of the key's tails: every key of the span's kind in the project. */
  reference: ClassState | null;
}

/** Signals of one metric of a span (pushing anomalies when they alert), then learns the value. */
function scoreMetric(ctx: MetricContext, spec: MetricSpec, b: Baseline, value: number | null, x: number | undefined, lowSignal: Exclude<PointSignal, "spike"> | null): number {
  if (value === null || !(value >= 0)) return 0;
  const { span, settings } = ctx;
  const o = { y: spec.y(value), x, atMs: span.startMs };
  const reference = ctx.reference?.[spec.classMetric];
  const a = assess(b, o, spec.params, settings.minHistory, reference?.errors);
  const enabled = !settings.disabled.has(spec.detector);
  let score = 0;
  if (ctx.firstInTrace) ctx.entry.observations += 1;
  // A value the user confirmed as normal for this key is not reported again (its tests still count).
  const accepted = isAccepted(b, a, o.y, spec.params);
  if (!a.cold && enabled && accepted) {
    nextPointThreshold(ctx);
    if (lowSignal) nextPointThreshold(ctx);
  } else if (!a.cold && enabled) {
    const high = nextPointThreshold(ctx);
    score = pointSignal(ctx, spec, b, a, value, probabilityBits(a.pHigh), high, "spike");
    if (lowSignal) {
      const low = nextPointThreshold(ctx);
      score = Math.max(score, pointSignal(ctx, spec, b, a, value, probabilityBits(a.pLow), low, lowSignal));
    }
  }
  const changeBits = changeThresholdBits(settings, ctx.profile.observationsPerTrace);
  const change = learn(b, o, a, { changeBits: enabled ? changeBits : Infinity, minHistory: settings.minHistory, watchChange: ctx.firstInTrace, reference }, spec.params);
  if (change && isReportable(b, spec, change)) score = Math.max(score, changeSignal(ctx, spec, change, changeBits, value));
  return score;
}

function nextPointThreshold(ctx: MetricContext): number {
  ctx.entry.tests += 1;
  return pointThresholdBits(ctx.settings, ctx.profile.testsPerTrace, ctx.entry.tests);
}

/** spike: far above usual; drop: far below (a step that suddenly answers instantly often skipped its work); empty: an output far below usual. */
type PointSignal = "spike" | "drop" | "empty";

const POINT_QUANTILE: Record<PointSignal, number> = { spike: 0.99, drop: 0.01, empty: 0.01 };

function pointSignal(ctx: MetricContext, spec: MetricSpec, b: Baseline, a: Assessment, value: number, bits: number, threshold: number, signal: PointSignal): number {
  const score = scoreOf(bits, threshold);
  if (bits < threshold) return score;
  // However rare, a value within two units of the metric's resolution of usual is not worth an alert
  // (the rule level shifts follow): a key whose values follow their regressor closely (a cost priced from
  // its tokens) has a tail so narrow that a few percent would otherwise be extreme.
  if (!isWorthReporting(spec, spec.y(value) - a.usual)) return Math.min(score, BELOW_THRESHOLD);
  const { span } = ctx;
  const usual = spec.back(a.usual);
  const bound = spec.back(quantileAround(b, a, POINT_QUANTILE[signal]));
  const label = spanLabel(span);
  const explanation =
    signal === "spike"
      ? baselineExplanation(spec.what, value, usual, bound, spec.unit, label)
      : signal === "drop"
        ? `${spec.what} only ${formatValue(value, spec.unit)} vs usual ${formatValue(usual, spec.unit)} (p1 ${formatValue(bound, spec.unit)}) for ${label}: far below usual`
        : `output of ${formatValue(value, spec.unit)} tokens vs usual ${formatValue(usual, spec.unit)} (p1 ${formatValue(bound, spec.unit)}) for ${label}: empty or truncated`;
  const detector = spec.detector;
  pushAnomaly(ctx.out, ctx.settings, {
    projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, spanSeq: span.seq, occurredMs: span.startMs, occurredEndMs: span.endMs, detector, metric: spec.metric, entity: ctx.entity,
    observed: value, expected: usual, expectedLow: spec.back(quantileAround(b, a, 0.01)), expectedHigh: spec.back(quantileAround(b, a, 0.99)), score,
    explanation,
    details: { signal, bits: round(bits), threshold: round(threshold), z: round(a.z), history: b.n, x: spanRegressor(span, spec), startMs: span.startMs },
    dedupKey: `${span.projectId}:${span.traceId}:${span.spanId}:${detector}:${spec.metric}${signal === "spike" ? "" : `:${signal}`}`,
  });
  return score;
}

function spanRegressor(span: SpanRecord, spec: MetricSpec): number | undefined {
  if (spec === LATENCY) return span.outputTokens !== null ? Math.log1p(span.outputTokens) : undefined;
  if (spec === COST) return span.inputTokens !== null || span.outputTokens !== null ? Math.log1p((span.inputTokens ?? 0) + 4 * (span.outputTokens ?? 0)) : undefined;
  return undefined;
}

/** Largest score of a signal that is not reported. */
const BELOW_THRESHOLD = 0.49;

/** Is a difference (transformed scale) worth the metric's resolution? */
function isWorthReporting(spec: MetricSpec, difference: number): boolean {
  return Math.abs(difference) >= 2 * spec.params.minSpread;
}

/** A change is reported when it is worth the metric's resolution. */
function isReportable(b: Baseline, spec: MetricSpec, change: BaselineChange): boolean {
  const unit = spec.params.minSpread;
  if (change.kind === "level_up" || change.kind === "level_down") return isWorthReporting(spec, change.after - change.before);
  // Spread after a rise, before a fall: the larger of the two must be worth reporting.
  const larger = change.kind === "variance_up" ? b.spread : b.spread / Math.max(change.estimate, 1e-6);
  return larger >= 2 * unit;
}

function changeSignal(ctx: MetricContext, spec: MetricSpec, change: BaselineChange, threshold: number, value: number): number {
  // A return to the level before the last shift ends that episode: shown, never alerted.
  const score = change.recovery ? Math.min(BELOW_THRESHOLD, scoreOf(change.bits, threshold)) : scoreOf(change.bits, threshold);
  if (change.recovery) return score;
  const { span } = ctx;
  const before = spec.back(change.before);
  const after = spec.back(change.after);
  const signal = change.kind === "level_up" || change.kind === "level_down" ? "level_shift" : change.kind;
  pushAnomaly(ctx.out, ctx.settings, {
    projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, spanSeq: span.seq,
    // A shift began where its evidence began, before the span that confirmed it.
    occurredMs: change.sinceMs > 0 ? Math.min(change.sinceMs, span.startMs) : span.startMs, occurredEndMs: span.endMs,
    detector: spec.detector, metric: spec.metric, entity: ctx.entity,
    observed: signal === "level_shift" ? after : value, expected: before, expectedLow: null, expectedHigh: null, score,
    explanation: changeExplanation(spec.what, change, before, after, spec.unit, spanLabel(span)),
    details: { signal, direction: change.kind, bits: round(change.bits), threshold: round(threshold), sinceMs: change.sinceMs, observations: change.count, startMs: span.startMs },
    dedupKey: `${span.projectId}:${span.traceId}:${span.spanId}:${spec.detector}:${spec.metric}:${change.kind}`,
  });
  return score;
}

/** Reused for every span (the hot path allocates nothing per call): only the threshold and history vary. */
const ERROR_PARAMS: StepErrorParams = { ...DEFAULT_ERROR_MEMORY, alertBits: Infinity, minHistory: 0 };

function scoreErrors(ctx: MetricContext, ks: SpanKeyState, isError: boolean): number {
  const { span, settings } = ctx;
  const state = ks.errors;
  const threshold = errorThresholdBits(settings, ctx.profile.spansPerTrace, ERROR_ALTERNATIVES);
  ERROR_PARAMS.alertBits = settings.disabled.has("error") ? Infinity : threshold;
  ERROR_PARAMS.minHistory = settings.minHistory;
  const r = observeStep(state, isError, span.startMs, ERROR_PARAMS);
  if (!isError || state.count <= settings.minHistory || settings.disabled.has("error")) return 0;
  const score = scoreOf(r.bits, threshold);
  if (r.alarm) {
    const fast = failsFast(ks.latency, span, settings);
    const rate = `${span.step} failed ${r.runErrors} of the last ${r.runCalls} calls vs usual ${formatPercent(r.p0)} errors for ${spanLabel(span)}`;
    pushAnomaly(ctx.out, settings, {
      projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, spanSeq: span.seq, occurredMs: span.startMs, occurredEndMs: span.endMs, detector: "error", metric: fast ? "fast_failure" : "error_rate", entity: ctx.entity,
      observed: r.runCalls ? r.runErrors / r.runCalls : 1, expected: r.p0, expectedLow: 0, expectedHigh: r.p0, score,
      explanation: fast ? `${rate}, answering in ${formatValue(span.durationMs, "ms")} vs usual ${formatValue(fast.usual, "ms")}: failing fast` : rate,
      details: { signal: fast ? "fast_failure" : "rate_increase", bits: round(r.bits), threshold: round(threshold), errors: r.runErrors, calls: r.runCalls, startMs: span.startMs },
      dedupKey: `${span.projectId}:${span.traceId}:${span.spanId}:error:error_rate`,
    });
  }
  return score;
}

/** A failure answered below the 1st percentile of the step's successful latencies: it failed before doing its work. */
function failsFast(latency: Baseline, span: SpanRecord, settings: DetectionSettings): { usual: number } | null {
  const a = assess(latency, { y: LATENCY.y(span.durationMs), x: spanRegressor(span, LATENCY), atMs: span.startMs }, LATENCY.params, settings.minHistory);
  if (a.cold || a.pLow > 0.01) return null;
  return { usual: LATENCY.back(a.usual) };
}
