// The per-key model of one metric on a transformed scale (log for latency, tokens and cost):
//   prediction  = level + regressor effect (e.g. output tokens for latency) + half-hour-of-day and
//                 day-of-week offsets ("usual") + an autoregression of the last deviation from usual;
//   errors      = prediction errors divided by their mean absolute size, whose whole distribution is
//                 learned (tail-sketch.ts): probabilities come from what the key actually did;
//   changes     = CUSUMs on the errors' normal scores (change-detector.ts): a lasting level shift or a
//                 change of spread is reported once, then the model re-baselines on the new regime.
// Every memory is a half-life in event time with a floor in observations: a busy key remembers hours,
// not seconds, and a key that sees 20 calls a day still remembers its last few hundred calls.
import { probit } from "simple-statistics";
import { POINT_CONTAMINATION_SHARE } from "./contamination";
import { emptyChangeState, observeChange, type ChangeAlarm, type ChangeState } from "./change-detector";
import { dayOfWeek, emptyProfile, halfHourOf, learnSlot, shrunkOffset, type SeasonalMemory, type SeasonalProfile } from "./seasonal";
import { emptyWatchedCalls, learnCall, watchedOffset, type WatchedCalls } from "./watched-calls";
import { addToSketch, distributionInterval, emptySketch, MIN_EXCEEDANCES, probabilityAtLeast, probabilityAtMost, sketchFromJson, sketchQuantile, sketchToJson, sketchWeight, TAIL_MASS, type SketchJson, type TailSketch } from "./tail-sketch";

export interface Memory {
  /** Half-life in event time (ms) ... */
  halfLifeMs: number;
  /** ... but never shorter than this many observations. */
  minHalfLifeObservations: number;
}

export interface BaselineParams {
  /** The level: slow (several daily cycles), so that daily patterns go to the seasonal offsets; the autoregression follows faster drifts. */
  level: Memory;
  /** The spread (unit of the errors) and the autoregression. */
  spread: Memory;
  /** The shape of the error distribution: long, so its tails are learned from many observations. */
  shape: Memory;
  /** Seasonal offsets (each slot on its own clock). */
  season: SeasonalMemory;
  /** Smallest spread on the transformed scale (the metric's resolution). */
  minSpread: number;
  /** Share of the observations that may be anomalies: a recurring extreme is behaviour once more common. */
  anomalyShare: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_BASELINE_PARAMS: BaselineParams = {
  level: { halfLifeMs: 3 * DAY, minHalfLifeObservations: 200 },
  spread: { halfLifeMs: DAY, minHalfLifeObservations: 200 },
  shape: { halfLifeMs: 7 * DAY, minHalfLifeObservations: 2000 },
  season: { halfLifeMs: 7 * DAY, minHalfLifeObservations: 20 },
  minSpread: 0.01,
  anomalyShare: POINT_CONTAMINATION_SHARE,
};

export interface Baseline {
  v: 2;
  /** Observations learned, and the event times of the first and the last one. */
  n: number;
  firstMs: number;
  lastMs: number;
  /** Level of the deseasonalized, regressor-adjusted value. */
  level: number;
  /** Regressor moments (over observations that had one). */
  regN: number;
  regMean: number;
  regVar: number;
  regCov: number;
  /** Residual offsets by UTC half-hour of the day (used after one day) and by day of the week (after two weeks:
   * one week's days are confounded with the level's drift that week). */
  daily: SeasonalProfile;
  weekly: SeasonalProfile;
  /** Autoregression of the deviations from usual: the last deviation and the moments behind its coefficient. */
  lastDeviation: number;
  deviationVar: number;
  deviationLagCov: number;
  /** Mean absolute prediction error: errors are divided by it before they reach the sketch. */
  spread: number;
  errors: TailSketch;
  changes: ChangeState;
  /** The level before the last reported level shift, while a return to it would be a recovery. */
  shiftedFrom: number | null;
  /** Observations since a level shift re-baselined the model (0: none): the level re-learns as a fresh mean meanwhile. */
  settling: number;
  /** Deviations from usual that a user confirmed as normal (feedback), highest and lowest (null: none). */
  acceptedHigh: number | null;
  acceptedLow: number | null;
  /** State of the generator behind the randomized probability integral transform (deterministic). */
  draw: number;
  /** Where the calls the change detectors watch usually sit among all calls (watched-calls.ts). */
  watched: WatchedCalls;
}

export interface Observation {
  /** Value on the transformed scale. */
  y: number;
  /** Regressor on its transformed scale, when the observation has one. */
  x?: number;
  atMs: number;
}

export interface Assessment {
  /** Prediction and usual level (without the autoregression) on the transformed scale, and the unit of errors. */
  mean: number;
  usual: number;
  spread: number;
  /** Standardized error, and the learned probabilities of an error at least / at most this large. */
  z: number;
  pHigh: number;
  pLow: number;
  /** True while the key has too little history to judge (nothing may alert). */
  cold: boolean;
}

export function emptyBaseline(): Baseline {
  return {
    v: 2, n: 0, firstMs: 0, lastMs: 0, level: 0, regN: 0, regMean: 0, regVar: 0, regCov: 0, daily: emptyProfile(48, 1), weekly: emptyProfile(7, 2),
    lastDeviation: 0, deviationVar: 0, deviationLagCov: 0, spread: 0, errors: emptySketch(), changes: emptyChangeState(), shiftedFrom: null, settling: 0, acceptedHigh: null, acceptedLow: null, draw: 0x9e3779b9,
    watched: emptyWatchedCalls(),
  };
}

/** Share of the past forgotten by one observation arriving `elapsedMs` after the previous one. */
export function forgetting(m: Memory, elapsedMs: number): number {
  const byCount = forgettingPerObservation(m);
  if (!(elapsedMs > 0)) return 0;
  const byTime = -Math.expm1((-elapsedMs * Math.LN2) / m.halfLifeMs);
  return byTime < byCount ? byTime : byCount;
}

const perObservation = new WeakMap<Memory, number>();
function forgettingPerObservation(m: Memory): number {
  let v = perObservation.get(m);
  if (v === undefined) perObservation.set(m, (v = 1 - Math.pow(2, -1 / m.minHalfLifeObservations)));
  return v;
}

/** Learning rate of a mean: a plain average while history is short, then the memory's forgetting. */
export function learningRate(m: Memory, n: number, elapsedMs: number): number {
  return Math.max(1 / (n + 1), forgetting(m, elapsedMs));
}

const MAX_AUTOREGRESSION = 0.999;
const SETTLING_OBSERVATIONS = 100;
/** Observations before errors join the learned distribution. */
const SETTLED_SPREAD = 10;
/** Errors beyond this many spreads are clipped before they move the level, offsets, spread or autoregression. */
const CLIP_SPREADS = 6;
const NORMAL_SCORE_LIMIT = 4;

const clip = (v: number, limit: number) => (v > limit ? limit : v < -limit ? -limit : v);

function regression(b: Baseline, x: number | undefined): number {
  if (x === undefined || b.regN < 20 || b.regVar < 1e-9) return 0;
  return (b.regCov / b.regVar) * (x - b.regMean);
}

function seasonalOffset(b: Baseline, ms: number): number {
  return shrunkOffset(b.daily, halfHourOf(ms), b.deviationVar, ms) + shrunkOffset(b.weekly, dayOfWeek(ms), b.deviationVar, ms);
}

function autoregression(b: Baseline): number {
  if (b.n < 20 || !(b.deviationVar > 0)) return 0;
  return Math.max(0, Math.min(MAX_AUTOREGRESSION, b.deviationLagCov / b.deviationVar));
}

/** The expected value without the autoregressive correction (what "usual" means in explanations). */
export function usualLevel(b: Baseline, x: number | undefined, atMs: number): number {
  return b.level + regression(b, x) + seasonalOffset(b, atMs);
}

function spreadOf(b: Baseline, p: BaselineParams): number {
  // Thin history: widen the unit so that early errors look less surprising.
  return Math.max(b.spread, p.minSpread) * (1 + 2 / Math.max(1, b.n));
}

/**
 * Worth (in observations) of the reference class's error distribution in a key's predictive one: a key whose
 * own tail does not yet hold a fit's minimum exceedances at the tail mass is judged mostly by its class.
 */
export const REFERENCE_WEIGHT = MIN_EXCEEDANCES / TAIL_MASS;

/**
 * A tail probability of a key's own errors, shrunk towards its reference class's (the errors of every key
 * of the same metric and kind in the project, which are on the same standardized scale): the posterior
 * predictive of a Dirichlet process centred on the class, (w p_own + w0 p_class) / (w + w0), w the key's
 * (decayed) observations. A key with a few dozen calls has seen too little to tell how heavy its tails are,
 * and borrows what its class has shown; a busy key's own history speaks for itself.
 */
function shrunkProbability(own: TailSketch, reference: TailSketch | undefined, probability: (s: TailSketch) => number): number {
  const pOwn = probability(own);
  if (!reference || !(sketchWeight(reference) > 0)) return pOwn;
  const w = sketchWeight(own);
  return (w * pOwn + REFERENCE_WEIGHT * probability(reference)) / (w + REFERENCE_WEIGHT);
}

/** Scores an observation against the model as it stands (pure); `reference`: the key's class's errors. */
export function assess(b: Baseline, o: Observation, p: BaselineParams = DEFAULT_BASELINE_PARAMS, minHistory = 50, reference?: TailSketch): Assessment {
  const usual = usualLevel(b, o.x, o.atMs);
  const mean = usual + autoregression(b) * b.lastDeviation;
  const spread = spreadOf(b, p);
  if (b.n === 0) return { mean, usual, spread, z: 0, pHigh: 1, pLow: 1, cold: true };
  const z = (o.y - mean) / spread;
  const cold = b.n < minHistory || sketchWeight(b.errors) < minHistory / 2;
  return {
    mean, usual, spread, z, cold,
    pHigh: shrunkProbability(b.errors, reference, (s) => probabilityAtLeast(s, z, p.anomalyShare)),
    pLow: shrunkProbability(b.errors, reference, (s) => probabilityAtMost(s, z, p.anomalyShare)),
  };
}

/** The errors of a reference class (a key's sketch and the event time of its last error), learned from its keys' errors. */
export interface ReferenceErrors {
  errors: TailSketch;
  lastMs: number;
}

export const emptyReference = (): ReferenceErrors => ({ errors: emptySketch(), lastMs: 0 });

/** Value on the transformed scale at a quantile of the learned error distribution around a prediction. */
export function quantileAround(b: Baseline, a: Pick<Assessment, "mean" | "spread">, q: number): number {
  return a.mean + a.spread * sketchQuantile(b.errors, q);
}

/** Uniform draw in [0, 1) from the baseline's own deterministic generator (mulberry32). */
function nextUniform(b: Baseline): number {
  b.draw = (b.draw + 0x6d2b79f5) >>> 0;
  let t = b.draw;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Normal score of a standardized error through the learned distribution (randomized PIT). */
function normalScore(b: Baseline, z: number): number {
  const { below, upTo } = distributionInterval(b.errors, z);
  const u = below + (upTo - below) * nextUniform(b);
  const tiny = 3e-5;
  const q = probit(Math.min(1 - tiny, Math.max(tiny, u)));
  return Math.max(-NORMAL_SCORE_LIMIT, Math.min(NORMAL_SCORE_LIMIT, q));
}

/** A change the CUSUMs found, with the usual value before and after it (transformed scale). */
export interface BaselineChange extends ChangeAlarm {
  before: number;
  after: number;
  /** A level shift that returns to where the previous one started: the end of an episode, not a new one. */
  recovery: boolean;
}

export interface LearnOptions {
  /** Evidence (bits) at which a change alarms; Infinity learns without change detection. */
  changeBits: number;
  minHistory: number;
  /** False: the observation is learned but not shown to the change detector (a repeat of the key within one trace,
   * whose value is correlated with the first: the CUSUMs see one observation per trace). Default true. */
  watchChange?: boolean;
  /** The key's reference class, which learns its errors too. */
  reference?: ReferenceErrors;
}

/** A class learns each error of its keys, forgetting at the shape's pace on its own clock. */
function learnReference(r: ReferenceErrors, z: number, atMs: number, p: BaselineParams): void {
  const elapsed = r.lastMs === 0 ? 0 : atMs - r.lastMs;
  addToSketch(r.errors, z, forgetting(p.shape, elapsed));
  r.lastMs = Math.max(r.lastMs, atMs);
}

/**
 * Learns an observation after `assess` scored it. Returns the change alarm when a CUSUM crossed
 * `changeBits`; the model has then re-baselined on the new regime (level moved, or spread rescaled),
 * so one lasting change is one report, not a storm.
 */
export function learn(b: Baseline, o: Observation, a: Assessment, opts: LearnOptions, p: BaselineParams = DEFAULT_BASELINE_PARAMS): BaselineChange | null {
  if (b.n === 0) {
    b.n = 1;
    b.firstMs = o.atMs;
    b.lastMs = o.atMs;
    b.level = o.y;
    if (o.x !== undefined) {
      b.regN = 1;
      b.regMean = o.x;
    }
    return null;
  }
  const elapsed = o.atMs - b.lastMs;
  // After a level shift the new level is a fresh mean of what came since (the CUSUM's estimate of where the
  // change began is rough by an observation or two); the normal memory resumes once that mean is settled.
  const aLevel = b.settling > 0 ? Math.max(learningRate(p.level, b.n, elapsed), 1 / (b.settling + 1)) : learningRate(p.level, b.n, elapsed);
  if (b.settling > 0) b.settling = b.settling >= SETTLING_OBSERVATIONS ? 0 : b.settling + 1;
  const aSpread = learningRate(p.spread, b.n, elapsed);
  // The sketch holds counts: it forgets at the memory's pace from the start (no averaging phase).
  const aShape = forgetting(p.shape, elapsed);
  const spread = a.spread;
  const limit = CLIP_SPREADS * spread;
  const error = o.y - a.mean;
  const rho = autoregression(b);

  // Scores first (they read the distribution before this error joins it). The level score puts the
  // deviation from usual in error units: an AR(1) deviation varies 1/(1 - rho^2) times more than its errors.
  const rawDeviation = o.y - a.usual;
  const watch = opts.watchChange !== false;
  // A repeated step's first calls are measured against first calls (watched-calls.ts).
  const watchedDeviation = rawDeviation - watchedOffset(b.watched);
  const errorScore = watch ? normalScore(b, a.z) : 0;
  const levelScore = watch ? normalScore(b, (watchedDeviation * Math.sqrt(1 - rho * rho)) / spread) : 0;
  learnCall(b.watched, { deviation: clip(rawDeviation, limit), atMs: o.atMs, watched: watch }, (n, elapsedMs) => learningRate(p.level, n, elapsedMs));

  // The shape learns every error as it is (rare but normal values must widen the tails), once the unit
  // it is measured in is an average of a few errors: the first ones, measured against one or two, are
  // arbitrarily large and would stay in the tails for the shape's whole memory.
  if (b.n >= SETTLED_SPREAD) {
    addToSketch(b.errors, a.z, aShape);
    if (opts.reference) learnReference(opts.reference, a.z, o.atMs, p);
  }
  b.spread = b.n === 1 ? Math.abs(error) : b.spread + aSpread * (Math.min(Math.abs(error), CLIP_SPREADS * spread) - b.spread);

  const alarm = watch ? observeChange(b.changes, { levelScore, errorScore, deviation: watchedDeviation, atMs: o.atMs, rate: aSpread }, opts.changeBits, b.n >= opts.minHistory) : null;
  const change = alarm ? rebaseline(b, alarm, a.usual) : null;

  const deviation = alarm ? 0 : clip(rawDeviation, limit);
  b.deviationVar += aSpread * (deviation * deviation - b.deviationVar);
  b.deviationLagCov += aSpread * (deviation * b.lastDeviation - b.deviationLagCov);

  // Backfitting, one step per observation: each profile learns what the level and the other profile leave.
  const halfHour = halfHourOf(o.atMs);
  const day = dayOfWeek(o.atMs);
  const noise = b.deviationVar;
  const dailyShown = shrunkOffset(b.daily, halfHour, noise, o.atMs);
  learnSlot(b.daily, halfHour, deviation + dailyShown, o.atMs, p.season, noise);
  const weeklyResidual = deviation + shrunkOffset(b.weekly, day, noise, o.atMs) + dailyShown - shrunkOffset(b.daily, halfHour, noise, o.atMs);
  learnSlot(b.weekly, day, weeklyResidual, o.atMs, p.season, noise);

  // The level follows the clipped deviation: a spike moves it by at most CLIP_SPREADS spreads times the rate.
  b.level += aLevel * deviation;
  if (o.x !== undefined) {
    const ax = Math.max(1 / (b.regN + 1), aLevel);
    const dx = o.x - b.regMean;
    b.regMean += ax * dx;
    b.regVar = (1 - ax) * (b.regVar + ax * dx * dx);
    // Covariance of x with the value net of level and season (the regression's own effect added back).
    b.regCov = (1 - ax) * (b.regCov + ax * dx * (deviation + regression(b, o.x)));
    b.regN += 1;
  }
  b.lastDeviation = alarm ? 0 : o.y - usualLevel(b, o.x, o.atMs);
  b.lastMs = Math.max(b.lastMs, o.atMs);
  b.n += 1;
  return change;
}

/** Moves the model onto the new regime, and tells a return to the level before the last shift (a recovery). */
function rebaseline(b: Baseline, alarm: ChangeAlarm, usual: number): BaselineChange {
  if (alarm.kind === "variance_up") {
    b.spread *= alarm.estimate;
    return { ...alarm, before: usual, after: usual, recovery: false };
  }
  const before = b.level;
  b.level += alarm.estimate;
  b.settling = Math.max(1, alarm.count);
  const from = b.shiftedFrom;
  const recovery = from !== null && Math.abs(b.level - from) < 0.5 * Math.abs(before - from) && Math.sign(alarm.estimate) === Math.sign(from - before);
  b.shiftedFrom = recovery ? null : before;
  return { ...alarm, before: usual, after: usual + alarm.estimate, recovery };
}

/** Persisted form (the sketch as its sparse JSON). */
export type BaselineJson = Omit<Baseline, "errors"> & { errors: SketchJson };

export function baselineToJson(b: Baseline): BaselineJson {
  return { ...b, errors: sketchToJson(b.errors) };
}

export function baselineFromJson(j: unknown): Baseline {
  const o = j as Partial<BaselineJson> | null;
  if (!o || o.v !== 2) return emptyBaseline();
  return { ...emptyBaseline(), ...o, errors: sketchFromJson(o.errors) } as Baseline;
}

/** A value confirmed as normal (feedback): learned `weight` times, without change detection. */
/** Is a value within what the user confirmed as normal for this key (with a margin of the metric's resolution)? */
export function isAccepted(b: Baseline, a: Pick<Assessment, "usual">, y: number, p: BaselineParams = DEFAULT_BASELINE_PARAMS): boolean {
  const deviation = y - a.usual;
  const margin = 2 * p.minSpread;
  return (b.acceptedHigh !== null && deviation >= 0 && deviation <= b.acceptedHigh + margin) || (b.acceptedLow !== null && deviation <= 0 && deviation >= b.acceptedLow - margin);
}

export function learnConfirmed(b: Baseline, o: Observation, weight: number, p: BaselineParams = DEFAULT_BASELINE_PARAMS): void {
  const deviation = o.y - usualLevel(b, o.x, o.atMs);
  if (deviation >= 0) b.acceptedHigh = Math.max(b.acceptedHigh ?? 0, deviation);
  else b.acceptedLow = Math.min(b.acceptedLow ?? 0, deviation);
  for (let i = 0; i < weight; i++) learn(b, o, assess(b, o, p, 0), { changeBits: Infinity, minHistory: 0 }, p);
  // What the user confirmed is not evidence of a change.
  b.changes = { ...emptyChangeState(), levelScoreVar: b.changes.levelScoreVar, levelScoreLagCov: b.changes.levelScoreLagCov, squareVar: b.changes.squareVar, squareLagCov: b.changes.squareLagCov };
}
