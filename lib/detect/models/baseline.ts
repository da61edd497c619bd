// Online robust baseline on a transformed scale (log for latency, tokens and cost), one per
// (key, metric). Exponentially weighted moments with Huber-style winsorized updates, an optional
// linear regressor (e.g. latency explained by output tokens), and shrunken hour-of-day and
// day-of-week offsets so daily or weekly seasonality is used only where the data shows it.
// Scoring uses the one-step-ahead (prequential) error variance, so the z-score is calibrated
// against how well this very model has predicted so far.
import { upperTailBits } from "./surprise";

export interface Baseline {
  /** Observations learned. */
  n: number;
  /** EW mean of y, of the regressor x, their variance/covariance (over observations with x). */
  my: number;
  nx: number;
  mx: number;
  vx: number;
  cxy: number;
  /** EW mean of squared one-step-ahead errors (the predictive variance). */
  pe: number;
  /** Hour-of-day (24) and day-of-week (7) residual offsets and their weights. */
  ho: number[];
  hw: number[];
  dof: number[];
  dw: number[];
}

export interface BaselineParams {
  /** Half-life in observations of the EW moments (adapts to level shifts at this pace). */
  halfLife: number;
  /** Winsorize errors at this many sigmas before learning (bounds an outlier's influence). */
  clipSigma: number;
  /** Smallest sigma on the transformed scale (resolution of the metric). */
  minSigma: number;
  /** Pseudo-count for the seasonal offsets: an offset is used at weight w/(w + k). */
  seasonalPrior: number;
}

export const DEFAULT_BASELINE_PARAMS: BaselineParams = { halfLife: 1000, clipSigma: 3, minSigma: 0.05, seasonalPrior: 40 };

export function emptyBaseline(): Baseline {
  return { n: 0, my: 0, nx: 0, mx: 0, vx: 0, cxy: 0, pe: 0, ho: new Array(24).fill(0), hw: new Array(24).fill(0), dof: new Array(7).fill(0), dw: new Array(7).fill(0) };
}

export interface When {
  hour: number;
  dow: number;
}

/** UTC hour of day and day of week (0 = Sunday; 1970-01-01 was a Thursday). */
export function whenOf(ms: number): When {
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  return { hour: ((hours % 24) + 24) % 24, dow: (((days + 4) % 7) + 7) % 7 };
}

export interface Prediction {
  /** Expected value on the transformed scale. */
  mean: number;
  /** Predictive standard deviation on the transformed scale. */
  sigma: number;
}

const floors = new Map<number, number>();
function rate(count: number, halfLife: number): number {
  let floor = floors.get(halfLife);
  if (floor === undefined) floors.set(halfLife, (floor = 1 - Math.pow(2, -1 / halfLife)));
  return Math.max(1 / (count + 1), floor);
}

function nonSeasonal(b: Baseline, x: number | undefined): number {
  if (x === undefined || b.nx < 20 || b.vx < 1e-9) return b.my;
  const beta = b.cxy / b.vx;
  return b.my + beta * (x - b.mx);
}

function seasonal(b: Baseline, when: When, k: number): number {
  const h = b.hw[when.hour] ?? 0;
  const d = b.dw[when.dow] ?? 0;
  return ((b.ho[when.hour] ?? 0) * h) / (h + k) + ((b.dof[when.dow] ?? 0) * d) / (d + k);
}

export function predict(b: Baseline, x: number | undefined, when: When, p: BaselineParams = DEFAULT_BASELINE_PARAMS): Prediction {
  const mean = nonSeasonal(b, x) + seasonal(b, when, p.seasonalPrior);
  // Mean-estimation noise widens the interval while history is short.
  const variance = (b.pe + p.minSigma * p.minSigma) * (1 + 1 / Math.max(1, b.n));
  return { mean, sigma: Math.sqrt(variance) };
}

/** Bits of surprise of y being this high (one-sided: only "more than usual" is risky). */
export function surpriseHigh(pred: Prediction, y: number): { z: number; bits: number } {
  const z = (y - pred.mean) / pred.sigma;
  return { z, bits: upperTailBits(z) };
}

/**
 * Learns one observation (in place); returns the same object. `weight` > 1 for user feedback.
 * `known` is predict(b, x, when, p) when the caller already computed it (scoring, then learning).
 */
export function learn(b: Baseline, y: number, x: number | undefined, when: When, p: BaselineParams = DEFAULT_BASELINE_PARAMS, weight = 1, known?: Prediction): Baseline {
  for (let i = 0; i < weight; i++) learnOnce(b, y, x, when, p, weight > 1, i === 0 ? known : undefined);
  return b;
}

function learnOnce(b: Baseline, y: number, x: number | undefined, when: When, p: BaselineParams, unclipped: boolean, known: Prediction | undefined): void {
  if (b.n === 0) {
    b.my = y;
    b.n = 1;
    if (x !== undefined) {
      b.mx = x;
      b.nx = 1;
    }
    return;
  }
  const pred = known ?? predict(b, x, when, p);
  let err = y - pred.mean;
  // Winsorize once the variance estimate means something; user-confirmed values are learned as they are.
  if (!unclipped && b.n >= 10) {
    const c = p.clipSigma * pred.sigma;
    err = Math.max(-c, Math.min(c, err));
  }
  const yw = pred.mean + err;
  const a = rate(b.n, p.halfLife);
  b.pe = b.n === 1 ? err * err : b.pe + a * (err * err - b.pe);
  // Residual against the non-seasonal part feeds the seasonal offsets.
  const base = nonSeasonal(b, x);
  const resid = yw - base;
  const hw = b.hw[when.hour] ?? 0;
  const dw = b.dw[when.dow] ?? 0;
  const ah = rate(hw, p.halfLife / 8);
  const ad = rate(dw, p.halfLife / 4);
  b.ho[when.hour] = (b.ho[when.hour] ?? 0) + ah * (resid - (b.ho[when.hour] ?? 0));
  b.hw[when.hour] = Math.min(hw + 1, p.halfLife);
  const residAfterHour = resid - (b.ho[when.hour] ?? 0);
  b.dof[when.dow] = (b.dof[when.dow] ?? 0) + ad * (residAfterHour - (b.dof[when.dow] ?? 0));
  b.dw[when.dow] = Math.min(dw + 1, p.halfLife);
  // Level and regression moments learn the deseasonalized value.
  const yd = yw - seasonal(b, when, p.seasonalPrior);
  const dy = yd - b.my;
  b.my += a * dy;
  if (x !== undefined) {
    const ax = rate(b.nx, p.halfLife);
    const dx = x - b.mx;
    b.mx += ax * dx;
    b.vx = (1 - ax) * (b.vx + ax * dx * dx);
    b.cxy = (1 - ax) * (b.cxy + ax * dx * dy);
    b.nx += 1;
  }
  b.n += 1;
}
