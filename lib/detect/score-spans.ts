// Span-level scoring: per-step baselines (latency, tokens, cost), per-step error CUSUM and rate
// windows. Pure: state in, scores + anomalies out (state is updated in place).
import { baselineExplanation, formatPercent, formatRate, formatUsd, spanLabel } from "./explain";
import { DEFAULT_BASELINE_PARAMS, learn, predict, whenOf, type Baseline, type BaselineParams, type Prediction, type When } from "./models/baseline";
import { DEFAULT_RATE_PARAMS, observeRate, type RateSignal, type RateState } from "./models/rates";
import { observeStep } from "./models/step-errors";
import { riskScore, SEVERITY_RANK, severityOf, upperTailBits, zQuantile } from "./models/surprise";
import type { DetectionSettings, Detector } from "./settings";
import { rateKeyState, spanKeyState, stateKey, type PartitionState } from "./state";
import { fingerprintOf, type AnomalyDraft, type SpanRecord } from "./types";

const Z99 = zQuantile(0.99);
const Z01 = -Z99;
const ERROR_HALF_LIFE = 2000;

interface MetricSpec {
  detector: Detector;
  metric: string;
  what: string;
  unit: "ms" | "count" | "usd";
  /** value → transformed y, and back. */
  y: (v: number) => number;
  back: (y: number) => number;
}

const LOG1P: Pick<MetricSpec, "y" | "back"> = { y: (v) => Math.log1p(v), back: (y) => Math.max(0, Math.expm1(y)) };
const LATENCY: MetricSpec = { detector: "latency", metric: "duration_ms", what: "latency", unit: "ms", ...LOG1P };
const INPUT: MetricSpec = { detector: "tokens", metric: "input_tokens", what: "input tokens", unit: "count", ...LOG1P };
const OUTPUT: MetricSpec = { detector: "tokens", metric: "output_tokens", what: "output tokens", unit: "count", ...LOG1P };
// Cost in micro-dollars so log1p behaves like a log over the useful range.
const COST: MetricSpec = { detector: "cost", metric: "cost_usd", what: "cost", unit: "usd", y: (v) => Math.log1p(v * 1e6), back: (y) => Math.max(0, Math.expm1(y) / 1e6) };

const PARAMS: BaselineParams = DEFAULT_BASELINE_PARAMS;

export interface ScoreContext {
  settingsFor(projectId: string): DetectionSettings;
}

export interface SpanBatchResult {
  /** Anomaly score in [0,1] of each span, in input order. */
  scores: Float64Array;
  anomalies: AnomalyDraft[];
}

export function spanEntity(s: Pick<SpanRecord, "service" | "agent" | "step" | "model">): string {
  return `${s.service}/${s.agent ?? "-"}/${s.step}/${s.model ?? "-"}`;
}

export function scoreSpanBatch(st: PartitionState, spans: readonly SpanRecord[], ctx: ScoreContext): SpanBatchResult {
  const scores = new Float64Array(spans.length);
  const anomalies: AnomalyDraft[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const settings = ctx.settingsFor(span.projectId);
    scores[i] = scoreOneSpan(st, span, settings, anomalies);
    const closed = observeRates(st, span);
    if (closed) for (const sig of closed) pushRateAnomaly(anomalies, sig.key, sig.signal, ctx.settingsFor(sig.projectId), sig.projectId);
  }
  return { scores, anomalies };
}

function scoreOneSpan(st: PartitionState, span: SpanRecord, settings: DetectionSettings, out: AnomalyDraft[]): number {
  const entity = spanEntity(span);
  const ks = spanKeyState(st, stateKey(span.projectId, entity));
  const when = whenOf(span.startMs);
  let score = 0;
  const outX = span.outputTokens !== null && span.outputTokens >= 0 ? Math.log1p(span.outputTokens) : undefined;
  // Cost is explained by price-weighted tokens: output tokens cost about 4x input tokens for most models.
  const tokens = (span.inputTokens ?? 0) + 4 * (span.outputTokens ?? 0);
  const tokX = span.inputTokens !== null || span.outputTokens !== null ? Math.log1p(tokens) : undefined;
  // Container spans (agent, chain) sum their children: their latency, tokens and cost would repeat the
  // children's anomalies, so they are judged by the chain models instead.
  if (span.kind !== "agent" && span.kind !== "chain") {
    score = Math.max(score, scoreMetric(LATENCY, ks.latency, span.durationMs, outX, when, span, entity, settings, out));
    score = Math.max(score, scoreMetric(INPUT, ks.inputTokens, span.inputTokens, undefined, when, span, entity, settings, out));
    score = Math.max(score, scoreMetric(OUTPUT, ks.outputTokens, span.outputTokens, undefined, when, span, entity, settings, out));
    score = Math.max(score, scoreMetric(COST, ks.cost, span.costUsd !== null && span.costUsd > 0 ? span.costUsd : null, tokX, when, span, entity, settings, out));
  }

  const isError = span.statusCode === 2;
  const r = observeStep(ks.errors, isError, { halfLife: ERROR_HALF_LIFE, alertBits: settings.alertBits.error, minHistory: settings.minHistory });
  if (isError && ks.errors.count > settings.minHistory && !settings.disabled.has("error")) {
    const s = riskScore(r.bits, settings.alertBits.error);
    score = Math.max(score, s);
    if (r.alarm) {
      push(out, settings, {
        projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, spanSeq: span.seq, detector: "error", metric: "error_rate", entity,
        observed: r.runN ? r.runErr / r.runN : 1, expected: r.p0, expectedLow: 0, expectedHigh: r.p0, score: s,
        explanation: `${span.step} failed ${r.runErr} of the last ${r.runN} calls vs usual ${formatPercent(r.p0)} errors for ${spanLabel(span)}`,
        details: { bits: round(r.bits), errors: r.runErr, calls: r.runN },
        dedupKey: `${span.projectId}:${span.traceId}:${span.spanId}:error:error_rate`,
      });
    }
  }
  return score;
}

/** Scores one metric of a span against its baseline (pushing an anomaly when alerted), then learns it. */
function scoreMetric(
  spec: MetricSpec, b: Baseline, value: number | null, x: number | undefined, when: When, span: SpanRecord, entity: string, settings: DetectionSettings, out: AnomalyDraft[],
): number {
  if (value === null || !(value >= 0)) return 0;
  const y = spec.y(value);
  let score = 0;
  let pred: Prediction | undefined;
  if (b.n >= settings.minHistory && !settings.disabled.has(spec.detector)) {
    pred = predict(b, x, when, PARAMS);
    const z = (y - pred.mean) / pred.sigma;
    const bits = upperTailBits(z);
    const alertBits = settings.alertBits[spec.detector];
    score = riskScore(bits, alertBits);
    if (bits >= alertBits) {
      const usual = spec.back(pred.mean);
      const p99 = spec.back(pred.mean + Z99 * pred.sigma);
      push(out, settings, {
        projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, spanSeq: span.seq, detector: spec.detector, metric: spec.metric, entity,
        observed: value, expected: usual, expectedLow: spec.back(pred.mean + Z01 * pred.sigma), expectedHigh: p99, score,
        explanation: baselineExplanation(spec.what, value, usual, p99, spec.unit, spanLabel(span)),
        details: { bits: round(bits), z: round(z), history: b.n, x, startMs: span.startMs },
        dedupKey: `${span.projectId}:${span.traceId}:${span.spanId}:${spec.detector}:${spec.metric}`,
      });
    }
  }
  learn(b, y, x, when, PARAMS, 1, pred);
  return score;
}

interface KeyedSignal {
  key: string;
  projectId: string;
  signal: RateSignal;
}

function observeRates(st: PartitionState, span: SpanRecord): KeyedSignal[] | null {
  if (span.endMs > st.meta.watermarkMs) st.meta.watermarkMs = span.endMs;
  const entity = `${span.service}/${span.agent ?? "-"}`;
  const key = stateKey(span.projectId, entity);
  const rs = rateKeyState(st, key);
  const signals = observeRate(rs, { endMs: span.endMs, traceId: span.traceId, isRoot: span.parentSpanId === null, isError: span.statusCode === 2, cost: span.costUsd ?? 0 }, DEFAULT_RATE_PARAMS);
  // Windows close when the key's own next span falls in a later window: a global event-time
  // watermark would close other keys' windows early when an exporter batch groups spans by service.
  return signals.length ? signals.map((signal) => ({ key, projectId: span.projectId, signal })) : null;
}

function pushRateAnomaly(out: AnomalyDraft[], key: string, sig: RateSignal, settings: DetectionSettings, projectId: string): void {
  if (settings.disabled.has(sig.detector)) return;
  const entity = key.slice(key.indexOf("|") + 1);
  const alertBits = settings.alertBits[sig.detector];
  const s = riskScore(sig.bits, alertBits);
  const explanation =
    sig.detector === "volume"
      ? `traffic ${formatRate(sig.observed)} traces/min vs usual ${formatRate(sig.expected)}/min for ${entity}`
      : sig.detector === "error_rate"
        ? `error rate ${formatPercent(sig.observed)} (${sig.recent.errors}/${sig.recent.spans} spans) in the last minute vs usual ${formatPercent(sig.expected)} for ${entity}`
        : `cost ${formatUsd(sig.observed)}/min vs usual ${formatUsd(sig.expected)}/min for ${entity}`;
  push(out, settings, {
    projectId, traceId: sig.traceId, spanId: null, spanSeq: null, detector: sig.detector, metric: sig.detector === "volume" ? "traces_per_minute" : sig.detector === "error_rate" ? "error_ratio" : "usd_per_minute",
    entity, observed: sig.observed, expected: sig.expected, expectedLow: null, expectedHigh: null, score: s, explanation,
    details: { bits: round(sig.bits), windowStart: sig.windowStart, window: sig.recent },
    dedupKey: `${projectId}:${sig.detector}:${entity}:${sig.windowStart}`,
  });
}

export type DraftInput = Omit<AnomalyDraft, "severity" | "fingerprint">;

export function push(out: AnomalyDraft[], settings: DetectionSettings, a: DraftInput): void {
  const severity = severityOf(a.score, settings.severity);
  if (SEVERITY_RANK[severity] < SEVERITY_RANK[settings.minSeverity]) return;
  out.push({ ...a, severity, fingerprint: fingerprintOf(a.projectId, a.detector, a.entity) });
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export type { RateState };
