// Rates per (project, service, agent) in fixed event-time windows: traffic (traces started),
// error rate (error spans / spans) and cost per window, each with a CUSUM on the log-likelihood
// ratio in bits against an exponentially weighted baseline. Counts are quasi-Poisson /
// quasi-binomial: the LLR is divided by an estimated dispersion factor, so bursty but normal
// traffic does not look like a change. Alarms restart the CUSUM; baselines learn winsorized
// values so a surge does not teach the model that surges are normal.

export interface RateWindow {
  traces: number;
  spans: number;
  errors: number;
  cost: number;
  /** Spans that reported a cost. */
  costed: number;
}

/** EW mean and dispersion of a count per window, and its CUSUM statistic (bits). */
export interface QuasiPoisson {
  lam: number;
  phi: number;
  s: number;
}

export interface RateState {
  /** Start of the open window (ms), or -1 before the first span. */
  ws: number;
  cur: RateWindow;
  /** Windows closed (cold start). */
  k: number;
  vol: QuasiPoisson;
  spend: QuasiPoisson;
  /** EW mean cost of one costed span (the unit of spend). */
  unit: number;
  /** Decayed error / span counts, and dispersion of errors. */
  de: number;
  dn: number;
  phiE: number;
  se: number;
  /** Last closed windows (newest last), for "in the last minute" explanations. */
  recent: RateWindow[];
  /** A trace from the open window to attach anomalies to (error / most expensive / last). */
  refTrace: string;
  errTrace: string;
  costTrace: string;
  maxCost: number;
}

export interface RateParams {
  windowMs: number;
  halfLifeWindows: number;
  alertBits: number;
  minWindows: number;
  /** Windows kept for explanations (6 windows of 10 s = one minute). */
  recentWindows: number;
}

export const DEFAULT_RATE_PARAMS: RateParams = { windowMs: 10_000, halfLifeWindows: 60, alertBits: 20, minWindows: 60, recentWindows: 6 };

export type RateMetric = "volume" | "error_rate" | "cost_rate";

export interface RateSignal {
  detector: RateMetric;
  bits: number;
  alarm: boolean;
  /** Per minute, over the recent windows. */
  observed: number;
  expected: number;
  windowStart: number;
  traceId: string;
  recent: RateWindow;
}

const NONE: RateSignal[] = [];
const emptyWindow = (): RateWindow => ({ traces: 0, spans: 0, errors: 0, cost: 0, costed: 0 });
const emptyQp = (): QuasiPoisson => ({ lam: 0, phi: 1, s: 0 });

export function emptyRateState(): RateState {
  return { ws: -1, cur: emptyWindow(), k: 0, vol: emptyQp(), spend: emptyQp(), unit: 0, de: 0, dn: 0, phiE: 1, se: 0, recent: [], refTrace: "", errTrace: "", costTrace: "", maxCost: -1 };
}

export interface RateObservation {
  endMs: number;
  traceId: string;
  isRoot: boolean;
  isError: boolean;
  cost: number;
}

function windowOf(ms: number, p: RateParams): number {
  return Math.floor(ms / p.windowMs) * p.windowMs;
}

/** Adds a span to the open window, closing windows that ended before it (returns their signals). */
export function observeRate(s: RateState, o: RateObservation, p: RateParams): RateSignal[] {
  const w = windowOf(o.endMs, p);
  const signals = s.ws >= 0 && w > s.ws ? closeUntil(s, w, p) : NONE;
  if (s.ws < 0) s.ws = w;
  // Late spans (earlier window) count in the open window.
  s.cur.spans += 1;
  if (o.isRoot) s.cur.traces += 1;
  if (o.isError) {
    s.cur.errors += 1;
    s.errTrace = o.traceId;
  }
  s.cur.cost += o.cost;
  if (o.cost > 0) s.cur.costed += 1;
  if (o.cost > s.maxCost) {
    s.maxCost = o.cost;
    s.costTrace = o.traceId;
  }
  s.refTrace = o.traceId;
  return signals;
}

/** Closes every window that ends at or before `untilWindow` (exclusive start of the next open window). */
export function closeUntil(s: RateState, untilWindow: number, p: RateParams): RateSignal[] {
  if (s.ws < 0 || untilWindow <= s.ws) return [];
  const signals = closeWindow(s, p);
  const gaps = Math.min(Math.round((untilWindow - s.ws) / p.windowMs) - 1, 8 * p.halfLifeWindows);
  for (let i = 0; i < gaps; i++) {
    s.ws += p.windowMs;
    signals.push(...closeWindow(s, p));
  }
  s.ws = untilWindow;
  return signals;
}

function cusumStep(stat: number, llrBits: number): number {
  return Math.max(0, stat + llrBits);
}

/**
 * One window of a quasi-Poisson CUSUM for "the rate doubled": LLR = (x ln 2 - lam0) / phi nats.
 * Updates the statistic and the winsorized baseline in place; returns the statistic after the window.
 */
function quasiPoisson(q: QuasiPoisson, x: number, a: number): { bits: number; lam0: number } {
  const lam0 = Math.max(q.lam, 0.2);
  const llr = (x * Math.LN2 - lam0) / q.phi / Math.LN2;
  q.s = cusumStep(q.s, llr);
  const bits = q.s;
  // The level learns values winsorized at 3 sd (a surge must not teach that surges are normal);
  // the dispersion learns with a looser 10 sd cap so genuinely heavy-tailed spend is represented.
  const sd = Math.sqrt(q.phi * lam0);
  const capped = Math.min(x, lam0 + 3 * sd + 1);
  const loose = Math.min(x, lam0 + 10 * sd + 1);
  q.phi = Math.min(50, Math.max(1, q.phi + a * ((loose - lam0) ** 2 / lam0 - q.phi)));
  q.lam += a * (capped - q.lam);
  return { bits, lam0 };
}

function closeWindow(s: RateState, p: RateParams): RateSignal[] {
  const c = s.cur;
  const signals: RateSignal[] = [];
  const warm = s.k >= p.minWindows;
  const a = Math.max(1 / (s.k + 1), 1 - Math.pow(2, -1 / p.halfLifeWindows));
  s.recent.push(c);
  if (s.recent.length > p.recentWindows) s.recent.shift();
  const recent = sumWindows(s.recent);
  const perMinute = 60_000 / (p.windowMs * s.recent.length);

  // Traffic: quasi-Poisson CUSUM for a doubling of traces per window.
  const vol = quasiPoisson(s.vol, c.traces, a);
  if (warm && vol.bits >= p.alertBits) {
    signals.push({ detector: "volume", bits: vol.bits, alarm: true, observed: recent.traces * perMinute, expected: vol.lam0 * (60_000 / p.windowMs), windowStart: s.ws, traceId: s.refTrace, recent });
    s.vol.s = 0;
  }

  // Errors: quasi-binomial CUSUM over the window's spans.
  if (c.spans > 0) {
    const p0 = Math.max(0.002, (s.de + 0.5) / (s.dn + 1));
    const p1 = Math.min(0.95, Math.max(3 * p0, p0 + 0.15));
    const llrE = (c.errors * Math.log(p1 / p0) + (c.spans - c.errors) * Math.log((1 - p1) / (1 - p0))) / s.phiE / Math.LN2;
    s.se = cusumStep(s.se, llrE);
    if (warm && s.se >= p.alertBits) {
      signals.push({ detector: "error_rate", bits: s.se, alarm: true, observed: recent.spans ? recent.errors / recent.spans : 0, expected: p0, windowStart: s.ws, traceId: s.errTrace || s.refTrace, recent });
      s.se = 0;
    }
    const expectedErr = c.spans * p0;
    const cappedErr = Math.min(c.errors, expectedErr + 3 * Math.sqrt(s.phiE * expectedErr * (1 - p0)) + 1);
    s.phiE = Math.min(20, Math.max(1, s.phiE + a * ((c.errors - expectedErr) ** 2 / (expectedErr * (1 - p0)) - s.phiE)));
    const d = Math.pow(2, -1 / (p.halfLifeWindows * 10));
    s.de = s.de * Math.pow(d, c.spans) + cappedErr;
    s.dn = s.dn * Math.pow(d, c.spans) + c.spans;
  }

  // Cost: the window's spend in units of the usual cost of one costed span, as a quasi-Poisson
  // count (a compound-Poisson sum; the dispersion factor absorbs the spread of call costs).
  const unit = s.unit > 0 ? s.unit : c.costed > 0 ? c.cost / c.costed : 0;
  if (unit > 0) {
    const spend = quasiPoisson(s.spend, c.cost / unit, a);
    if (warm && spend.bits >= p.alertBits) {
      signals.push({ detector: "cost_rate", bits: spend.bits, alarm: true, observed: recent.cost * perMinute, expected: spend.lam0 * unit * (60_000 / p.windowMs), windowStart: s.ws, traceId: s.costTrace || s.refTrace, recent });
      s.spend.s = 0;
    }
    if (c.costed > 0) {
      const perCall = Math.min(c.cost / c.costed, s.unit > 0 ? 10 * s.unit : Infinity);
      s.unit = s.unit > 0 ? s.unit + a * (perCall - s.unit) : perCall;
    }
  }

  s.k += 1;
  s.cur = emptyWindow();
  s.maxCost = -1;
  s.errTrace = "";
  s.costTrace = "";
  return signals;
}

function sumWindows(ws: RateWindow[]): RateWindow {
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
