// Rates per (project, service, agent) in 30-second event-time windows (span end time): traffic
// (root spans, counted in the window where they end; up, down and silent), spend (cost in units of the usual costed call; up) and the
// error rate (error spans among spans; a bank of quasi-binomial CUSUMs for 2x-16x the usual rate, the dispersion learned).
// Several windows may be open at once: spans arrive out of event-time order (concurrent runs, batch
// exporters, replicas), so a window closes only when the project's watermark has passed its end by one
// window plus twice the key's usual arrival lag (which also notices a silent key), or when a span ends
// more than MAX_OPEN_WINDOWS after it. Spans for a window that has closed are late (a replica flushing an
// old buffer): they are counted as late and kept out of the detectors instead of looking like a surge now.
import { countModelFromJson, emptyCountModel, expectedCount, observeCount, type CountModel, type CountParams, type CountSide } from "./count-model";

export interface RateWindow {
  traces: number;
  spans: number;
  errors: number;
  cost: number;
  /** Spans that reported a cost. */
  costed: number;
}

export interface RateState {
  v: 2;
  /** Start of the oldest open window (ms), or -1 before the first span; its counts; the open windows after it. */
  ws: number;
  cur: RateWindow;
  ahead: RateWindow[];
  volume: CountModel;
  spend: CountModel;
  /** EW mean cost of one costed span (the unit of spend). */
  unit: number;
  /** Decayed error / span counts and the error CUSUM bank (bits), and whether its episode was reported. */
  errors: number;
  spans: number;
  errorCusums: number[];
  errorReported?: boolean;
  /**
   * Over-dispersion of the error counts (mean Pearson ratio of a window's errors against the binomial),
   * and the windows it was learned from: errors that travel together (a failing call failing its parent,
   * retries of one outage) count once as evidence. Absent in older state (then 1).
   */
  errorDispersion?: number;
  dispersionWindows?: number;
  windows: number;
  /** Last closed windows (newest last), for "in the last minutes" explanations. */
  recent: RateWindow[];
  /** Spans that arrived for windows already closed. */
  late: number;
  /** Arrival lag behind the project's watermark (ms), its 95th percentile: how long to wait before closing an idle window. */
  lagMs: number;
  /** A trace from the open window to attach anomalies to (error / most expensive / last). */
  refTrace: string;
  errTrace: string;
  costTrace: string;
  maxCost: number;
}

export interface RateParams {
  windowMs: number;
  count: CountParams;
  /** Half-life of the usual error rate, in spans. */
  errorHalfLifeSpans: number;
  /** Memory of the error dispersion, in windows with spans. */
  dispersionMemoryWindows: number;
  recentWindows: number;
}

export const DEFAULT_RATE_PARAMS: RateParams = {
  windowMs: 30_000,
  count: { windowMs: 30_000, levelHalfLife: 7 * 2880, slotHalfLifeMs: 14 * 86_400_000, minWindows: 120 },
  errorHalfLifeSpans: 20_000,
  dispersionMemoryWindows: 1440,
  recentWindows: 4,
};

export type RateMetric = "volume" | "error_rate" | "cost_rate";

export interface RateSignal {
  detector: RateMetric;
  /** up / down / silent for traffic; up for errors and spend. */
  side: CountSide;
  bits: number;
  /** Per minute over the recent windows, and the usual per minute. */
  observed: number;
  expected: number;
  windowStart: number;
  sinceMs: number;
  traceId: string;
  recent: RateWindow;
}

const ERROR_MULTIPLIERS = [2, 4, 8, 16];
/** The arrival lag allowance is this quantile of the key's lags (spans later than it count as late). */
const LAG_QUANTILE = 0.95;
/** Its steps: 5 % of itself, at least 10 ms (a lag regime 100x longer is reached in about a hundred spans). */
const LAG_STEP = 0.05;
const MIN_LAG_STEP_MS = 10;
const emptyWindow = (): RateWindow => ({ traces: 0, spans: 0, errors: 0, cost: 0, costed: 0 });
/** At most this many windows (half an hour) are open at once. */
export const MAX_OPEN_WINDOWS = 60;

export function emptyRateState(): RateState {
  return {
    v: 2, ws: -1, cur: emptyWindow(), ahead: [], volume: emptyCountModel(), spend: emptyCountModel(), unit: 0, errors: 0, spans: 0, errorCusums: ERROR_MULTIPLIERS.map(() => 0),
    windows: 0, recent: [], late: 0, lagMs: 0, refTrace: "", errTrace: "", costTrace: "", maxCost: -1,
  };
}

export function rateToJson(s: RateState): RateState {
  return s;
}

export function rateFromJson(j: Record<string, unknown>): RateState | null {
  if (j.v !== 2) return null;
  const state = { ...emptyRateState(), ...(j as Partial<RateState>) } as RateState;
  state.volume = countModelFromJson(state.volume);
  state.spend = countModelFromJson(state.spend);
  return state;
}

export interface RateObservation {
  endMs: number;
  traceId: string;
  isRoot: boolean;
  isError: boolean;
  cost: number;
  /** Partition watermark when the span was read (for the arrival lag). */
  watermarkMs: number;
}

export interface RateThresholds {
  volume: number;
  errorRate: number;
  costRate: number;
}

function windowOf(ms: number, p: RateParams): number {
  return Math.floor(ms / p.windowMs) * p.windowMs;
}

/** Adds a span to its window, closing the windows the watermark has settled (returns their signals). */
export function observeRate(s: RateState, o: RateObservation, p: RateParams, t: RateThresholds): RateSignal[] {
  const w = windowOf(o.endMs, p);
  s.lagMs = nextLagQuantile(s.lagMs, Math.max(0, o.watermarkMs - o.endMs));
  if (s.ws >= 0 && w < s.ws) {
    s.late += 1;
    return [];
  }
  if (s.ws < 0) s.ws = w;
  const oldestKept = w - (MAX_OPEN_WINDOWS - 1) * p.windowMs;
  const signals = oldestKept > s.ws ? closeUntil(s, oldestKept, p, t) : [];
  const win = openWindowAt(s, w, p);
  win.spans += 1;
  if (o.isRoot) win.traces += 1;
  if (o.isError) {
    win.errors += 1;
    s.errTrace = o.traceId;
  }
  win.cost += o.cost;
  if (o.cost > 0) win.costed += 1;
  if (o.cost > s.maxCost) {
    s.maxCost = o.cost;
    s.costTrace = o.traceId;
  }
  s.refTrace = o.traceId;
  signals.push(...closeIdle(s, o.watermarkMs, p, t));
  return signals;
}

function openWindowAt(s: RateState, w: number, p: RateParams): RateWindow {
  const index = Math.round((w - s.ws) / p.windowMs);
  if (index === 0) return s.cur;
  while (s.ahead.length < index) s.ahead.push(emptyWindow());
  return s.ahead[index - 1]!;
}

/**
 * One step of a streaming quantile estimate (up by a step when the lag is above it, down by step x (1 - q)/q
 * otherwise, so it settles where a share q of lags is below it). A replica flushing an old buffer once
 * moves it by a few steps, not to the flush's lag: the flush's spans are late, and a silent key is still
 * noticed within minutes.
 */
export function nextLagQuantile(current: number, lagMs: number): number {
  const step = Math.max(current * LAG_STEP, MIN_LAG_STEP_MS);
  if (lagMs > current) return Math.min(current + step, lagMs);
  return Math.max(0, current - (step * (1 - LAG_QUANTILE)) / LAG_QUANTILE);
}

/** Closes the key's windows the watermark has passed (by a window plus twice the key's usual lag). */
export function closeIdle(s: RateState, watermarkMs: number, p: RateParams, t: RateThresholds): RateSignal[] {
  if (s.ws < 0) return [];
  const closable = windowOf(watermarkMs - p.windowMs - 2 * s.lagMs, p);
  return closable > s.ws ? closeUntil(s, closable, p, t) : [];
}

/** Closes every window before `untilWindow` (the start of the next open window). */
export function closeUntil(s: RateState, untilWindow: number, p: RateParams, t: RateThresholds): RateSignal[] {
  if (s.ws < 0 || untilWindow <= s.ws) return [];
  const signals: RateSignal[] = [];
  // Long gaps are closed window by window up to 12 hours (1,440 windows); beyond that the models just learn the quiet.
  const gaps = Math.min(Math.round((untilWindow - s.ws) / p.windowMs), 1440);
  for (let i = 0; i < gaps; i++) {
    signals.push(...closeWindow(s, p, t));
    s.ws += p.windowMs;
  }
  if (s.ws !== untilWindow) {
    // A gap beyond 12 hours: every open window was closed in it (at most MAX_OPEN_WINDOWS are open).
    s.ws = untilWindow;
    s.cur = emptyWindow();
    s.ahead = [];
  }
  return signals;
}

const perMinute = (count: number, windows: number, p: RateParams) => (count * 60_000) / (p.windowMs * Math.max(1, windows));

function sumWindows(ws: readonly RateWindow[]): RateWindow {
  const out = emptyWindow();
  for (const w of ws) {
    out.traces += w.traces;
    out.spans += w.spans;
    out.errors += w.errors;
    out.cost += w.cost;
    out.costed += w.costed;
  }
  return out;
}

function closeWindow(s: RateState, p: RateParams, t: RateThresholds): RateSignal[] {
  const c = s.cur;
  const signals: RateSignal[] = [];
  s.recent.push(c);
  if (s.recent.length > p.recentWindows) s.recent.shift();
  const recent = sumWindows(s.recent);
  const base = { windowStart: s.ws, recent };

  const usualTraces = expectedCount(s.volume, s.ws);
  const volume = observeCount(s.volume, c.traces, s.ws, p.count, t.volume);
  if (volume) {
    signals.push({ ...base, detector: "volume", side: volume.side, bits: volume.bits, sinceMs: volume.sinceMs, observed: perMinute(recent.traces, s.recent.length, p), expected: perMinute(usualTraces, 1, p), traceId: s.refTrace });
  }

  if (c.spans > 0) {
    const p0 = Math.max(1e-3, (s.errors + 0.5) / (s.spans + 1));
    // Quasi-binomial: the evidence of a window is its binomial log-likelihood ratio over the dispersion.
    const dispersion = Math.max(1, s.errorDispersion ?? 1);
    let bits = 0;
    for (let i = 0; i < ERROR_MULTIPLIERS.length; i++) {
      const p1 = Math.min(0.95, ERROR_MULTIPLIERS[i]! * p0);
      const llr = (c.errors * Math.log(p1 / p0) + (c.spans - c.errors) * Math.log((1 - p1) / (1 - p0))) / Math.LN2 / dispersion;
      s.errorCusums[i] = p1 > p0 ? Math.max(0, (s.errorCusums[i] ?? 0) + llr) : 0;
      bits = Math.max(bits, s.errorCusums[i]!);
    }
    // One report per episode (as for the volume): quiet until the bank is back at 0.
    if (bits === 0) s.errorReported = false;
    if (s.windows >= p.count.minWindows && bits >= t.errorRate && !s.errorReported) {
      signals.push({ ...base, detector: "error_rate", side: "up", bits, sinceMs: s.ws, observed: recent.spans ? recent.errors / recent.spans : 0, expected: p0, traceId: s.errTrace || s.refTrace });
      s.errorReported = true;
    }
    if (s.errorReported) for (let i = 0; i < s.errorCusums.length; i++) s.errorCusums[i] = Math.min(s.errorCusums[i]!, 2 * t.errorRate);
    // The usual rate learns errors capped at 3 standard deviations above it: a burst must not become normal.
    const cappedErrors = Math.min(c.errors, c.spans * p0 + 3 * Math.sqrt(c.spans * p0 * (1 - p0)) + 1);
    const pearson = (cappedErrors - c.spans * p0) ** 2 / (c.spans * p0 * (1 - p0));
    s.dispersionWindows = (s.dispersionWindows ?? 0) + 1;
    const rate = Math.max(1 / s.dispersionWindows, 1 / p.dispersionMemoryWindows);
    s.errorDispersion = (s.errorDispersion ?? 1) + rate * (pearson - (s.errorDispersion ?? 1));
    const keep = Math.pow(2, -c.spans / p.errorHalfLifeSpans);
    s.errors = s.errors * keep + cappedErrors;
    s.spans = s.spans * keep + c.spans;
  }

  const unit = s.unit > 0 ? s.unit : c.costed > 0 ? c.cost / c.costed : 0;
  if (unit > 0) {
    const usualSpend = expectedCount(s.spend, s.ws);
    const spend = observeCount(s.spend, c.cost / unit, s.ws, p.count, t.costRate);
    if (spend?.side === "up") {
      signals.push({ ...base, detector: "cost_rate", side: "up", bits: spend.bits, sinceMs: spend.sinceMs, observed: perMinute(recent.cost, s.recent.length, p), expected: perMinute(usualSpend * unit, 1, p), traceId: s.costTrace || s.refTrace });
    }
    if (c.costed > 0) {
      const perCall = Math.min(c.cost / c.costed, s.unit > 0 ? 10 * s.unit : Infinity);
      s.unit = s.unit > 0 ? s.unit + 0.01 * (perCall - s.unit) : perCall;
    }
  }

  s.windows += 1;
  s.cur = s.ahead.shift() ?? emptyWindow();
  s.maxCost = -1;
  s.errTrace = "";
  s.costTrace = "";
  return signals;
}
