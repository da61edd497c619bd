// The learned distribution of a key's standardized residuals: an exponentially decayed histogram
// (fine linear bins near 0, geometric bins in the tails) whose extreme tails beyond the data are a
// generalized Pareto distribution fitted to the peaks over a high threshold (POT, as in SPOT; Siffer
// et al., KDD 2017). Probabilities are therefore learned from what the key actually did: a rare but
// recurring value (a cache miss, a retry, a timeout at a cap) becomes part of the distribution and
// stops being surprising, and a discrete metric keeps its point masses (tail probabilities include
// the value's own bin, as P(X >= x) must for counts).
//
// The histogram is kept as its cumulative sums from the top (above[i] = weight of bins >= i), scaled
// by a growth factor instead of decaying every bin: an update costs a pass over the bins below the
// value's, a query costs nothing, and the tails are a pure function of the persisted state, so a
// restarted scorer judges exactly as one that never stopped.
import { CONTAMINATION_SHARE, POINT_CONTAMINATION_SHARE } from "./contamination";

const LINEAR_LIMIT = 8;
const LINEAR_WIDTH = 0.125;
const GEOMETRIC_RATIO = 1.15;
const GEOMETRIC_BINS = 85;
const LINEAR_BINS = (2 * LINEAR_LIMIT) / LINEAR_WIDTH;
/** Bins: GEOMETRIC_BINS below -LINEAR_LIMIT, LINEAR_BINS in between, GEOMETRIC_BINS above. */
export const SKETCH_BINS = 2 * GEOMETRIC_BINS + LINEAR_BINS;
const LOG_RATIO = Math.log(GEOMETRIC_RATIO);

/** Tail mass above which the generalized Pareto tail takes over (at least this many observations). */
export const TAIL_MASS = 0.02;
export const MIN_EXCEEDANCES = 8;
/** Tail shape assumed when the excesses cannot be fitted (and for a tail of one or two values). */
const PRIOR_SHAPE = 0.25;
/** Range of the fitted shape; below 0 the bound is still at least 0 (an exponential tail). */
const MIN_SHAPE = -0.5;
const MAX_SHAPE = 1;
/** Standard errors of the shape added to it: how conservatively the tail beyond the data is judged. */
const SHAPE_MARGIN = 1;
/** Observations at or beyond a value that make it a pattern of the key rather than a one-off (three, and more than its anomaly share). */
const PATTERN = 3;
/** Scale of a tail whose excesses sit on fewer than three bins (in units of the spread). */
const DEGENERATE_SCALE = 1;
/** Rounds of the outlier search (each refits without the outliers the previous one found). */
const OUTLIER_ROUNDS = 4;
/** Observations before a tail of one or two values is anchored at 1 in n + 1 beyond them. */
const ANCHORED_HISTORY = 200;
/** Units (of the degenerate tail's scale) beyond the largest common value in which a continuous metric shows itself. */
const NEAR_UNITS = 2;
/** Occupied bins the robust fit of a tail's outliers needs at least. */
const MIN_BAND_BINS = 2;
/** Slices in which the weight of a tail's outliers is spread over the fitted distribution's top. */
const IMPUTED_SLICES = 8;

export interface TailSketch {
  /** above[i] = weight of bins >= i, times `growth` (above[SKETCH_BINS] = 0); decay is a growing weight for new values. */
  above: Float64Array;
  growth: number;
  /** Observations ever added. */
  n: number;
  /**
   * The fitted tails and the observation count they were fitted at. Refits happen at counts the state
   * determines and the fit is persisted with it, so a restarted scorer uses exactly the same tails.
   */
  upper: ParetoTail | null;
  lower: ParetoTail | null;
  fitN: number;
}

export interface ParetoTail {
  /** Threshold (in z), the mass at or beyond it, and the generalized Pareto shape and scale of the excess. */
  threshold: number;
  thresholdBin: number;
  mass: number;
  shape: number;
  scale: number;
}

export function emptySketch(): TailSketch {
  return { above: new Float64Array(SKETCH_BINS + 1), growth: 1, n: 0, upper: null, lower: null, fitN: -1 };
}

export function binOf(z: number): number {
  if (!(z === z)) return GEOMETRIC_BINS + LINEAR_BINS / 2;
  if (z >= LINEAR_LIMIT) return Math.min(SKETCH_BINS - 1, GEOMETRIC_BINS + LINEAR_BINS + Math.floor(Math.log(z / LINEAR_LIMIT) / LOG_RATIO));
  if (z < -LINEAR_LIMIT) return Math.max(0, GEOMETRIC_BINS - 1 - Math.floor(Math.log(-z / LINEAR_LIMIT) / LOG_RATIO));
  return Math.min(GEOMETRIC_BINS + LINEAR_BINS - 1, GEOMETRIC_BINS + Math.floor((z + LINEAR_LIMIT) / LINEAR_WIDTH));
}

function computeLowerEdge(i: number): number {
  if (i >= GEOMETRIC_BINS + LINEAR_BINS) return LINEAR_LIMIT * Math.pow(GEOMETRIC_RATIO, i - GEOMETRIC_BINS - LINEAR_BINS);
  if (i >= GEOMETRIC_BINS) return -LINEAR_LIMIT + (i - GEOMETRIC_BINS) * LINEAR_WIDTH;
  return -LINEAR_LIMIT * Math.pow(GEOMETRIC_RATIO, GEOMETRIC_BINS - i);
}
const LOWER_EDGES = Float64Array.from({ length: SKETCH_BINS + 1 }, (_, i) => computeLowerEdge(i));
const MIDPOINTS = Float64Array.from({ length: SKETCH_BINS }, (_, i) => (i === SKETCH_BINS - 1 ? LOWER_EDGES[i]! : (LOWER_EDGES[i]! + LOWER_EDGES[i + 1]!) / 2));

/** Lower edge of a bin (the upper edge is lowerEdge(i + 1)). */
export function lowerEdge(i: number): number {
  return LOWER_EDGES[i]!;
}

function midpoint(i: number): number {
  return MIDPOINTS[i]!;
}

/**
 * Adds one observation. `forget` is the share of the past it forgets (the caller's pace: a half-life in
 * time with a floor of observations).
 */
export function addToSketch(s: TailSketch, z: number, forget: number): void {
  // Forgetting a share of every bin is the same as weighting the new observation that much more.
  if (forget > 0 && forget < 1) s.growth /= 1 - forget;
  if (s.growth > 1e12) rescale(s);
  const g = s.growth;
  const bin = binOf(z);
  const above = s.above;
  for (let i = 0; i <= bin; i++) above[i] = above[i]! + g;
  s.n += 1;
}

function rescale(s: TailSketch): void {
  const inv = 1 / s.growth;
  for (let i = 0; i < s.above.length; i++) s.above[i] = s.above[i]! * inv;
  s.growth = 1;
}

/** Effective number of observations (sum of decayed weights). */
export function sketchWeight(s: TailSketch): number {
  return s.above[0]! / s.growth;
}

const binWeight = (s: TailSketch, i: number) => s.above[i]! - s.above[i + 1]!;

/** Updates between refits (more for big sketches: 1 % of their observations). */
const REFIT_EVERY = 16;

function currentFit(s: TailSketch): TailSketch {
  if (s.fitN < 0 || s.n - s.fitN >= Math.max(REFIT_EVERY, s.n / 100)) {
    s.upper = fitTail(s, 1);
    s.lower = fitTail(s, -1);
    s.fitN = s.n;
  }
  return s;
}

/** The first bin from the extreme end (in `direction`) at which the tail holds `target` (scaled) weight. */
function tailStart(s: TailSketch, target: number, direction: 1 | -1): number {
  const above = s.above;
  const total = above[0]!;
  // Upper: the largest i with above[i] >= target. Lower: the smallest i with total - above[i + 1] >= target.
  let lo = 0;
  let hi = SKETCH_BINS - 1;
  if (direction === 1) {
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (above[mid]! >= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (total - above[mid + 1]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Generalized Pareto tail of the excesses over the threshold, robust to outliers: values that the rest
 * of the tail cannot account for (anomalies recurring now and then, at most CONTAMINATION_SHARE of the
 * key's weight) are censored, i.e. taken as lying beyond the point where they begin but not as far as
 * they do, so they cannot make the tail heavier. The tail is then fitted by probability-weighted
 * moments and judged with an upper confidence bound of its shape. direction 1 = upper tail; -1 =
 * lower tail (on the mirrored distribution).
 */
function fitTail(s: TailSketch, direction: 1 | -1): ParetoTail | null {
  const total = s.above[0]!;
  if (!(total > 0)) return null;
  const unit = s.growth;
  const target = Math.max(TAIL_MASS * total, Math.min(MIN_EXCEEDANCES * unit, total / 2));
  const first = tailStart(s, target, direction);
  const mass = direction === 1 ? s.above[first]! : total - s.above[first + 1]!;
  if (!(mass > 0)) return null;
  // Threshold at the inner edge of the bin; excess of each bin measured from it, in the tail's direction.
  const edge = (i: number) => (direction === 1 ? lowerEdge(i) : i + 1 < SKETCH_BINS ? lowerEdge(i + 1) : lowerEdge(i));
  const threshold = edge(first);
  const excessOf = (z: number) => Math.max(0, direction === 1 ? z - threshold : threshold - z);
  const end = direction === 1 ? SKETCH_BINS : -1;
  const cut = tailStart(s, CONTAMINATION_SHARE * total, direction);
  const outliers = outliersOf(s, first, cut, mass, direction, edge, excessOf);
  // Probability-weighted moments of the binned excesses, outliers replaced by the fit's values for them.
  let b0 = 0;
  let b1 = 0;
  let seen = 0;
  let occupied = 0;
  for (let i = first; i !== end; i += direction) {
    const w = binWeight(s, i);
    if (!(w > 0)) continue;
    occupied += 1;
    if (outliers && (direction === 1 ? i >= outliers.from : i <= outliers.from)) continue;
    const excess = excessOf(midpoint(i));
    const surviving = 1 - (seen + w / 2) / mass;
    b0 += w * excess;
    b1 += w * excess * surviving;
    seen += w;
  }
  if (outliers) {
    // The outliers' weight, in equal slices at the fit's quantiles for the top of the tail they occupy.
    const w = (mass - seen) / IMPUTED_SLICES;
    for (let k = 0; k < IMPUTED_SLICES; k++) {
      const surviving = 1 - (seen + w / 2) / mass;
      const excess = paretoQuantile(outliers.fit, surviving);
      b0 += w * excess;
      b1 += w * excess * surviving;
      seen += w;
    }
  }
  b0 /= mass;
  b1 /= mass;
  const excesses = mass / unit;
  const tail = { threshold, thresholdBin: first, mass: mass / total };
  // A tail made of one or two values (a discrete metric's largest outcomes, a chain's usual lengths) says
  // nothing about how far beyond them values may go: beyond the largest value held by more than the
  // contamination share, what lies is as rare as the key's history allows (1 in n + 1), decaying with
  // the prior's shape and a scale of one unit rather than the width of a bin.
  let settled = 0;
  for (let i = first; i !== cut + direction; i += direction) if (binWeight(s, i) > 0) settled += 1;
  const outer = cut + direction;
  if (settled < 3 && total >= ANCHORED_HISTORY * unit && outer >= 0 && outer < SKETCH_BINS) {
    // Only for a discrete metric: values spread over three bins or more within a few spreads beyond the
    // largest common value mean a narrow continuous one, whose tail is judged from the threshold below.
    const anchor = edge(outer);
    const reach = Math.max(0, Math.min(SKETCH_BINS - 1, binOf(anchor + direction * NEAR_UNITS * DEGENERATE_SCALE)));
    let nearBins = 0;
    for (let i = outer; i !== reach + direction; i += direction) if (binWeight(s, i) > 0) nearBins += 1;
    if (nearBins < 3) return { threshold: anchor, thresholdBin: cut, mass: unit / (total + unit), shape: PRIOR_SHAPE, scale: DEGENERATE_SCALE };
  }
  if (occupied < 3) return { ...tail, shape: PRIOR_SHAPE, scale: Math.max(b0 * (1 - PRIOR_SHAPE), DEGENERATE_SCALE) };
  const fitted = b0 > 0 && b0 - 2 * b1 > 1e-12 ? Math.min(MAX_SHAPE, Math.max(MIN_SHAPE, 2 - b0 / (b0 - 2 * b1))) : PRIOR_SHAPE;
  // Judge with an upper confidence bound of the shape (one standard error, (1 + shape)/sqrt(excesses)):
  // far beyond the data the tail's heaviness is what is least known, and a false alarm is what costs.
  // The estimate itself may be negative (a light tail lifts the bound less), the bound never is: a tail
  // that ends (shape < 0) is not something a few hundred observations can establish, so the lightest
  // tail judged is the exponential one.
  const shape = upperShape(fitted, excesses);
  return { ...tail, shape, scale: Math.max(b0 * (1 - Math.min(shape, 0.9)), LINEAR_WIDTH / 2) };
}

/** Upper confidence bound of a fitted shape from `excesses` observations, never below the exponential's 0. */
function upperShape(fitted: number, excesses: number): number {
  return Math.max(0, Math.min(MAX_SHAPE, fitted + (SHAPE_MARGIN * (1 + fitted)) / Math.sqrt(Math.max(1, excesses))));
}

/**
 * Outliers of a tail: the bin from which its most extreme values are taken as outliers (null when none
 * are), and the fit that judged them. A first fit censors the most extreme CONTAMINATION_SHARE; the
 * censoring point then moves outwards while the weight beyond it is plausible for that fit with a tail
 * no lighter than the exponential, so a clean tail is used whole. What lies beyond is more than that
 * fit accounts for: it counts as the fit's own largest values would, so it neither vanishes from the
 * tail nor makes it heavier.
 */
function outliersOf(s: TailSketch, first: number, contaminationCut: number, mass: number, direction: 1 | -1, edge: (i: number) => number, excessOf: (z: number) => number): { from: number; fit: ParetoFit } | null {
  const total = s.above[0]!;
  const unit = s.growth;
  const end = direction === 1 ? SKETCH_BINS : -1;
  const beyond = (j: number) => (j === end ? 0 : (direction === 1 ? s.above[j]! : total - s.above[j + 1]!) / unit);
  const band: Array<[excess: number, weight: number]> = [];
  let cut = contaminationCut;
  for (let i = first; i !== cut; i += direction) {
    const w = binWeight(s, i);
    if (w > 0) band.push([excessOf(midpoint(i)), w / unit]);
  }
  // A narrow key (its spread at the metric's resolution: a cost that follows its tokens) can hold the
  // tail's whole bulk in one bin. The robust fit needs a shape to judge by, so the band takes the next
  // occupied bins too; what lies beyond stays within the contamination share.
  while (band.length < MIN_BAND_BINS && cut !== end) {
    const w = binWeight(s, cut);
    if (w > 0) band.push([excessOf(midpoint(cut)), w / unit]);
    cut += direction;
  }
  if (band.length < MIN_BAND_BINS) return null;
  const censorAt = excessOf(edge(cut));
  const n = mass / unit;
  const bandWeight = band.reduce((sum, [, w]) => sum + w, 0);
  /** The first bin beyond the cut from which the weight is more than `fit` accounts for (`end`: none). */
  const firstImplausible = (fit: ParetoFit) => {
    for (let j = cut + direction; j !== end; j += direction) {
      const count = beyond(j);
      if (!(count > 0)) return end;
      if (implausiblyMany(count, n * paretoTailOf(fit, excessOf(edge(j))))) return j;
    }
    return end;
  };
  // Nothing beyond the cut, or nothing implausible even for the lightest tail judged (the exponential,
  // whose censored maximum likelihood scale has a closed form): a clean tail, the common case.
  if (!(beyond(cut + direction) > 0)) return null;
  const initialCensored = beyond(cut);
  const exponential = { shape: 0, scale: scaleForShape(band, initialCensored, censorAt, 0) };
  if (firstImplausible(exponential) === end) return null;
  // Outliers found by one fit no longer count in the next one's censored weight (a few rounds settle it).
  let from = end;
  let found: { from: number; fit: ParetoFit } | null = null;
  for (let round = 0; round < OUTLIER_ROUNDS; round++) {
    const censored = beyond(cut) - beyond(from);
    const robust = censoredParetoFit(band, censored, censorAt);
    if (!robust) return found;
    const shape = upperShape(robust.shape, bandWeight);
    const fit = { shape, scale: scaleForShape(band, censored, censorAt, shape) };
    const next = firstImplausible(fit);
    found = next === end ? null : { from: next, fit };
    if (next === from) break;
    from = next;
  }
  return found;
}

/** Excess that a share `p` of a generalized Pareto tail exceeds. */
function paretoQuantile(f: ParetoFit, p: number): number {
  return Math.abs(f.shape) < 1e-6 ? -f.scale * Math.log(p) : (f.scale * (Math.pow(p, -f.shape) - 1)) / f.shape;
}

/** Significance below which a count beyond a point is more than the fitted tail accounts for. */
const OUTLIER_LEVEL = 1e-3;

/** Is `observed` (a count, possibly decayed) implausibly large for a Poisson count of mean `expected`? */
export function implausiblyMany(observed: number, expected: number): boolean {
  if (observed <= expected) return false;
  if (!(expected > 0)) return true;
  const k = Math.round(observed);
  if (k < 1) return false;
  // log P(X >= k) <= log pmf(k) - log(1 - expected / (k + 1)), a bound tight for expected well below k.
  const logPmf = -expected + k * Math.log(expected) - logFactorial(k);
  return logPmf - Math.log1p(-expected / (k + 1)) < LOG_OUTLIER_LEVEL;
}

const LOG_OUTLIER_LEVEL = Math.log(OUTLIER_LEVEL);
const LOG_FACTORIALS = Float64Array.from({ length: 32 }, (_, k) => {
  let v = 0;
  for (let i = 2; i <= k; i++) v += Math.log(i);
  return v;
});

/** log k! (exact to 31, Stirling's series beyond). */
function logFactorial(k: number): number {
  if (k < LOG_FACTORIALS.length) return LOG_FACTORIALS[k]!;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k);
}

interface ParetoFit {
  shape: number;
  scale: number;
}

/** Relative survival of a generalized Pareto excess. */
function paretoTailOf(f: ParetoFit, x: number): number {
  if (Math.abs(f.shape) < 1e-6) return Math.exp(-x / f.scale);
  const base = 1 + (f.shape * x) / f.scale;
  return base <= 0 ? 0 : Math.pow(base, -1 / f.shape);
}

/** Maximum likelihood scale of a generalized Pareto tail of a given shape (censored terms included). */
function scaleForShape(band: ReadonlyArray<readonly [number, number]>, censored: number, censorAt: number, shape: number): number {
  let n = 0;
  let sum = 0;
  for (const [x, w] of band) {
    n += w;
    sum += w * x;
  }
  const c = Number.isFinite(censorAt) ? censorAt : 0;
  const exponential = (sum + censored * c) / n;
  if (shape < 1e-6) return exponential;
  const logLikelihood = (scale: number) => {
    let a = 0;
    for (const [x, w] of band) a += w * Math.log1p((shape * x) / scale);
    return -n * Math.log(scale) - (1 + 1 / shape) * a - (censored * Math.log1p((shape * c) / scale)) / shape;
  };
  return Math.exp(goldenMax((logScale) => logLikelihood(Math.exp(logScale)), Math.log(exponential / 20), Math.log(exponential * 2)));
}

/** Where a unimodal f peaks in [lo, hi] (golden-section search). */
function goldenMax(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < GOLDEN_STEPS; i++) {
    const m1 = hi - g * (hi - lo);
    const m2 = lo + g * (hi - lo);
    if (f(m1) >= f(m2)) hi = m2;
    else lo = m1;
  }
  return (lo + hi) / 2;
}

const PROFILE_STEPS = 16;
const GOLDEN_STEPS = 20;

/**
 * Maximum likelihood generalized Pareto fit of excesses `band` (value, weight) with `censored` weight
 * known only to exceed `censorAt`. With theta = shape/scale the shape that maximizes the likelihood
 * has a closed form (the weighted mean of log(1 + theta x), censored terms included, over the
 * uncensored weight), so only theta is searched: a grid on a log scale, then golden-section refinement.
 */
export function censoredParetoFit(band: ReadonlyArray<readonly [number, number]>, censored: number, censorAt: number): ParetoFit | null {
  let n = 0;
  let sum = 0;
  let largest = 0;
  for (const [x, w] of band) {
    n += w;
    sum += w * x;
    if (x > largest) largest = x;
  }
  const c = Number.isFinite(censorAt) && censored > 0 ? censorAt : 0;
  if (!(n > 0) || !(sum > 0)) return null;
  const exponentialScale = (sum + censored * c) / n;
  const reach = Math.max(largest, c);
  const shapeAt = (theta: number) => {
    let a = 0;
    for (const [x, w] of band) a += w * Math.log1p(theta * x);
    if (c > 0) a += censored * Math.log1p(theta * c);
    return a / n;
  };
  // Profile log-likelihood (up to a constant): -n log(shape / theta) - sum w log(1 + theta x) - n.
  const profile = (theta: number) => {
    if (Math.abs(theta) < 1e-12) return -n * Math.log(exponentialScale) - n;
    let a = 0;
    for (const [x, w] of band) a += w * Math.log1p(theta * x);
    const k = (a + (c > 0 ? censored * Math.log1p(theta * c) : 0)) / n;
    const scale = k / theta;
    return scale > 0 ? -n * Math.log(scale) - a - n : -Infinity;
  };
  // theta from -0.999/reach (a tail ending just beyond the data) to 100/mean (a very heavy one).
  const lo = -0.999 / reach;
  const hi = 100 / exponentialScale;
  const grid = (i: number) => (i < PROFILE_STEPS / 4 ? lo * (1 - i / (PROFILE_STEPS / 4)) : (hi * Math.pow(1e-4, 1 - (i - PROFILE_STEPS / 4) / (PROFILE_STEPS - PROFILE_STEPS / 4 - 1))));
  let best = 0;
  let bestValue = profile(0);
  for (let i = 0; i < PROFILE_STEPS; i++) {
    const theta = grid(i);
    const v = profile(theta);
    if (v > bestValue) {
      bestValue = v;
      best = theta;
    }
  }
  // Refine between the neighbours of the best grid point (golden section on the unimodal profile).
  const a = best === 0 ? lo / 4 : Math.max(lo, best < 0 ? best * 1.5 : best / 3);
  const b = Math.min(hi, best < 0 ? best / 3 : best === 0 ? 1 / exponentialScale : best * 3);
  const theta = goldenMax(profile, a, b);
  const refined = profile(theta) > bestValue ? theta : best;
  if (Math.abs(refined) < 1e-12) return { shape: 0, scale: exponentialScale };
  const shape = Math.min(MAX_SHAPE, Math.max(MIN_SHAPE, shapeAt(refined)));
  const scale = shapeAt(refined) / refined;
  return scale > 0 ? { shape, scale } : { shape: 0, scale: exponentialScale };
}

function paretoSurvival(tail: ParetoTail, excess: number): number {
  return excess <= 0 ? tail.mass : tail.mass * paretoTailOf(tail, excess);
}

/** Seen at least PATTERN times and more often than anomalies may be (`share`): a value the key shows as behaviour. */
function isPattern(s: TailSketch, seen: number, total: number, share: number): boolean {
  return seen >= PATTERN * s.growth && seen > share * total;
}

/** P(Z >= z): the value's own bin counts (right for counts, conservative by one bin otherwise). */
export function probabilityAtLeast(s: TailSketch, z: number, anomalyShare = POINT_CONTAMINATION_SHARE): number {
  const total = s.above[0]!;
  if (!(total > 0)) return 1;
  const i = binOf(z);
  const seen = s.above[i]!;
  const upper = currentFit(s).upper;
  // The fitted tail takes over strictly beyond the bin its threshold sits on, but never below what the
  // key has shown often enough to be its behaviour (a recurring rare value, feedback).
  if (upper && i > upper.thresholdBin) return Math.max(paretoSurvival(upper, z - upper.threshold), isPattern(s, seen, total, anomalyShare) ? seen / total : 0);
  return Math.min(1, seen / total);
}

/** P(Z <= z), with the value's own bin. */
export function probabilityAtMost(s: TailSketch, z: number, anomalyShare = POINT_CONTAMINATION_SHARE): number {
  const total = s.above[0]!;
  if (!(total > 0)) return 1;
  const i = binOf(z);
  const seen = total - s.above[i + 1]!;
  const lower = currentFit(s).lower;
  if (lower && i < lower.thresholdBin) return Math.max(paretoSurvival(lower, lower.threshold - z), isPattern(s, seen, total, anomalyShare) ? seen / total : 0);
  return Math.min(1, seen / total);
}

/**
 * Where z falls in the distribution: P(Z < z) as the interval [below, upTo] that its bin spans (a point
 * mass of a discrete metric spans its whole probability). In the fitted tails the interval is a point.
 * A uniform draw inside it gives a randomized probability integral transform: exactly uniform under
 * the learned distribution, for continuous and discrete metrics alike.
 */
export function distributionInterval(s: TailSketch, z: number): { below: number; upTo: number } {
  const total = s.above[0]!;
  if (!(total > 0)) return { below: 0, upTo: 1 };
  const i = binOf(z);
  const empirical = { below: (total - s.above[i]!) / total, upTo: (total - s.above[i + 1]!) / total };
  // A value in a bin the key has shown: the histogram itself (calibrated against what the key did; the
  // fitted tails are an extrapolation, and a tail anchored at 1 in n + 1 would make a value seen a few
  // times look extreme to the change detectors). Elsewhere in the tails, the fitted tails.
  if (binWeight(s, i) > 0) return empirical;
  const fit = currentFit(s);
  if (fit.upper && i > fit.upper.thresholdBin) {
    const f = 1 - paretoSurvival(fit.upper, z - fit.upper.threshold);
    return { below: f, upTo: f };
  }
  if (fit.lower && i < fit.lower.thresholdBin) {
    const f = paretoSurvival(fit.lower, fit.lower.threshold - z);
    return { below: f, upTo: f };
  }
  return empirical;
}

/** The q-quantile of Z (q in (0, 1)), from the bins or the fitted tails. */
export function sketchQuantile(s: TailSketch, q: number): number {
  const total = s.above[0]!;
  if (!(total > 0)) return 0;
  const fit = currentFit(s);
  const up = fit.upper;
  if (up && 1 - q < up.mass) {
    const p = (1 - q) / up.mass;
    const excess = paretoQuantile(up, p);
    return up.threshold + excess;
  }
  const low = fit.lower;
  if (low && q < low.mass) {
    const p = q / low.mass;
    const excess = paretoQuantile(low, p);
    return low.threshold - excess;
  }
  const want = (1 - q) * total;
  for (let i = 0; i < SKETCH_BINS; i++) if (s.above[i + 1]! <= want) return midpoint(i);
  return midpoint(SKETCH_BINS - 1);
}

/** Persisted form: the cumulative sums up to the last occupied bin (exact: a restart judges identically). */
export interface SketchJson {
  a: number[];
  g: number;
  n: number;
  u: ParetoTail | null;
  l: ParetoTail | null;
  f: number;
}

export function sketchToJson(s: TailSketch): SketchJson {
  let last = SKETCH_BINS - 1;
  while (last > 0 && s.above[last] === 0) last--;
  return { a: Array.from(s.above.subarray(0, last + 1)), g: s.growth, n: s.n, u: s.upper, l: s.lower, f: s.fitN };
}

export function sketchFromJson(j: SketchJson | undefined): TailSketch {
  const s = emptySketch();
  if (!j || !Array.isArray(j.a)) return s;
  s.above.set(j.a.slice(0, SKETCH_BINS));
  s.growth = j.g;
  s.n = j.n;
  s.upper = j.u ?? null;
  s.lower = j.l ?? null;
  s.fitN = typeof j.f === "number" ? j.f : -1;
  return s;
}
