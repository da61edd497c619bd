// Rate scoring per (project, service, agent): every scored span feeds its key's 30-second windows,
// and at every batch the partition's event-time watermark closes the windows of keys that went quiet,
// so that a silent service or agent is noticed. Anomalies attach to a recent trace of the key.
import { pushAnomaly, round } from "./anomaly-draft";
import { rateThresholdBits, scoreOf } from "./budget";
import { formatPercent, formatRate, formatSince, formatUsd } from "./explain";
import { closeIdle, DEFAULT_RATE_PARAMS, observeRate, type RateSignal, type RateThresholds } from "./models/rates";
import type { DetectionSettings } from "./settings";
import { rateKeyState, stateKey, type PartitionState } from "./state";
import type { AnomalyDraft, SpanRecord } from "./types";

const CLOCK_SKEW_MS = 5 * 60_000;
const WINDOWS_PER_HOUR = 3_600_000 / DEFAULT_RATE_PARAMS.windowMs;

function thresholds(s: DetectionSettings): RateThresholds {
  return {
    volume: rateThresholdBits(s, WINDOWS_PER_HOUR, 3),
    errorRate: rateThresholdBits(s, WINDOWS_PER_HOUR, 4),
    costRate: rateThresholdBits(s, WINDOWS_PER_HOUR, 3),
  };
}

export function rateEntity(span: Pick<SpanRecord, "service" | "agent">): string {
  return `${span.service}/${span.agent ?? "-"}`;
}

/** Feeds a span to its key's rate windows; pushes the anomalies of windows it closes. */
export function observeSpanRates(st: PartitionState, span: SpanRecord, settings: DetectionSettings, out: AnomalyDraft[]): void {
  // A client clock far ahead must not make every other key of the project look silent.
  const eventMs = Math.min(span.endMs, span.receivedMs + CLOCK_SKEW_MS);
  const before = st.meta.watermarks[span.projectId] ?? 0;
  const watermark = Math.max(before, eventMs);
  st.meta.watermarks[span.projectId] = watermark;
  // Each time the project's clock enters a new window, the windows of its quiet keys are closed: in span
  // order (not at batch ends), so results do not depend on batch boundaries.
  const window = DEFAULT_RATE_PARAMS.windowMs;
  if (before > 0 && Math.floor(watermark / window) > Math.floor(before / window)) sweepIdleRates(st, span.projectId, settings, out);
  const entity = rateEntity(span);
  const rs = rateKeyState(st, stateKey(span.projectId, entity));
  const t = thresholds(settings);
  const signals = observeRate(rs, { endMs: span.endMs, traceId: span.traceId, isRoot: span.parentSpanId === null, isError: span.statusCode === 2, cost: span.costUsd ?? 0, watermarkMs: watermark }, DEFAULT_RATE_PARAMS, t);
  for (const sig of signals) pushRateAnomaly(out, span.projectId, entity, sig, t, settings);
}

/** Closes the windows of the project's keys that its watermark has left behind (silence is a signal too). */
function sweepIdleRates(st: PartitionState, projectId: string, settings: DetectionSettings, out: AnomalyDraft[]): void {
  const prefix = `${projectId}|`;
  const t = thresholds(settings);
  const watermark = st.meta.watermarks[projectId] ?? 0;
  for (const [key, rs] of st.rates) {
    if (!key.startsWith(prefix)) continue;
    const openWindow = rs.ws;
    const signals = closeIdle(rs, watermark, DEFAULT_RATE_PARAMS, t);
    // Closing windows teaches the models even when nothing is signalled: the state must be saved either way.
    if (rs.ws !== openWindow) st.dirtyRates.add(key);
    for (const sig of signals) pushRateAnomaly(out, projectId, key.slice(prefix.length), sig, t, settings);
  }
}

function pushRateAnomaly(out: AnomalyDraft[], projectId: string, entity: string, sig: RateSignal, t: RateThresholds, settings: DetectionSettings): void {
  if (settings.disabled.has(sig.detector) || !sig.traceId) return;
  const threshold = sig.detector === "volume" ? t.volume : sig.detector === "error_rate" ? t.errorRate : t.costRate;
  const score = scoreOf(sig.bits, threshold);
  const since = formatSince(sig.sinceMs);
  const explanation =
    sig.detector === "volume"
      ? sig.side === "silent"
        ? `no traffic since ${since} for ${entity} (usually ${formatRate(sig.expected)} traces/min at this time)`
        : sig.side === "down"
          ? `traffic dropped to ${formatRate(sig.observed)} traces/min since ${since} vs usual ${formatRate(sig.expected)}/min for ${entity}`
          : `traffic ${formatRate(sig.observed)} traces/min since ${since} vs usual ${formatRate(sig.expected)}/min for ${entity}`
      : sig.detector === "error_rate"
        ? `error rate ${formatPercent(sig.observed)} (${sig.recent.errors}/${sig.recent.spans} spans) in the last minutes vs usual ${formatPercent(sig.expected)} for ${entity}`
        : `cost ${formatUsd(sig.observed)}/min since ${since} vs usual ${formatUsd(sig.expected)}/min for ${entity}`;
  const metric = sig.detector === "volume" ? "traces_per_minute" : sig.detector === "error_rate" ? "error_ratio" : "usd_per_minute";
  pushAnomaly(out, settings, {
    projectId, traceId: sig.traceId, spanId: null, spanSeq: null, detector: sig.detector, metric, entity,
    // The change began at sinceMs (when known); the window that confirmed it ends the behaviour seen so far.
    occurredMs: sig.sinceMs > 0 ? Math.min(sig.sinceMs, sig.windowStart) : sig.windowStart, occurredEndMs: sig.windowStart + DEFAULT_RATE_PARAMS.windowMs, observed: sig.observed, expected: sig.expected, expectedLow: null, expectedHigh: null,
    score, explanation,
    details: { signal: sig.detector === "volume" ? (sig.side === "up" ? "surge" : sig.side === "down" ? "drop" : "silence") : "rate_increase", bits: round(sig.bits), threshold: round(threshold), windowStart: sig.windowStart, sinceMs: sig.sinceMs, window: sig.recent },
    dedupKey: `${projectId}:${sig.detector}:${entity}:${sig.side}:${sig.windowStart}`,
  });
}
