// Lasting changes of a key's behaviour, found by CUSUMs on normal scores (errors passed through the
// key's learned distribution, so under "nothing changed" each score is standard normal whatever the
// metric's own shape). Three sides, each a log-likelihood ratio in nats:
//   level up / down:  the mean of the level scores moved by 2k (k = reference),
//   variance up:      the errors' spread doubled.
// The variance side reads differences of successive error scores, which a level shift leaves alone:
// a jump is a level shift, not a change of spread. There is no variance-down side: a spread that
// narrows is what calm traffic after a busy spell does (volatility comes in clusters), it was the
// largest source of false alarms on clean traffic, and the failures that do narrow it (fast failures,
// empty answers) move the level, which the level-down side reports.
// Level scores of a persistent series are correlated; their evidence is shrunk by the long-run factor
// sqrt((1 - r)/(1 + r)) so that the CUSUM's false-alarm rate holds for them too.

export interface CusumSide {
  /** Statistic (nats), when it last left 0, and the sum and count of what it saw since. */
  stat: number;
  sinceMs: number;
  sum: number;
  count: number;
}

export interface ChangeState {
  levelUp: CusumSide;
  levelDown: CusumSide;
  varianceUp: CusumSide;
  /** Lag-1 autocorrelation of the level scores: the last score and the moments behind the estimate. */
  lastLevelScore: number;
  levelScoreVar: number;
  levelScoreLagCov: number;
  /** The last error score, and the autocorrelation of the squared differences (volatility clustering), centred on 1. */
  lastErrorScore: number;
  lastSquare: number;
  squareVar: number;
  squareLagCov: number;
}

export type ChangeKind = "level_up" | "level_down" | "variance_up";
/** How many CUSUMs a metric runs: the change family's false-alarm share is split between them. */
export const CHANGE_SIDES = 3;

export interface ChangeAlarm {
  kind: ChangeKind;
  /** Evidence (bits) at the alarm. */
  bits: number;
  /** When the change began (the CUSUM's last zero) and how many observations it spans. */
  sinceMs: number;
  count: number;
  /** Level sides: mean deviation (transformed scale) since the change began. Variance side: the spread ratio. */
  estimate: number;
}

export interface ChangeObservation {
  /** Normal score of the deviation from the usual level (long-run units before correction). */
  levelScore: number;
  /** Normal score of the one-step-ahead error. */
  errorScore: number;
  /** Deviation from the usual level on the transformed scale (to estimate the shift). */
  deviation: number;
  atMs: number;
  /** Learning rate for the autocorrelation estimate. */
  rate: number;
}

/** Reference value k: tuned to shifts of 2k = 1.5 standard scores; a persistent misfit of half a score does not accumulate. */
export const LEVEL_REFERENCE = 0.75;
const MAX_CORRELATION = 0.95;
const LN2 = Math.LN2;

const emptySide = (): CusumSide => ({ stat: 0, sinceMs: 0, sum: 0, count: 0 });

export function emptyChangeState(): ChangeState {
  return { levelUp: emptySide(), levelDown: emptySide(), varianceUp: emptySide(), lastLevelScore: 0, levelScoreVar: 1, levelScoreLagCov: 0, lastErrorScore: 0, lastSquare: 0, squareVar: 2, squareLagCov: 0 };
}

function step(side: CusumSide, increment: number, value: number, atMs: number): void {
  const next = side.stat + increment;
  if (next <= 0) {
    side.stat = 0;
    side.sum = 0;
    side.count = 0;
    return;
  }
  if (side.stat === 0) side.sinceMs = atMs;
  side.stat = next;
  side.sum += value;
  side.count += 1;
}

const correlation = (lagCov: number, variance: number) => Math.max(0, Math.min(MAX_CORRELATION, lagCov / Math.max(variance, 1e-9)));
/** Evidence from positively correlated observations counts less: sums vary (1 + r)/(1 - r) times more. */
const longRunFactor = (r: number) => Math.sqrt((1 - r) / (1 + r));

/**
 * Adds one observation to the three CUSUMs. Returns the first side at or above `thresholdBits` (and
 * restarts all sides: further alarms need fresh evidence), or null. `track` = false updates nothing
 * but the autocorrelation (cold start).
 */
export function observeChange(c: ChangeState, o: ChangeObservation, thresholdBits: number, track = true): ChangeAlarm | null {
  const levelFactor = longRunFactor(correlation(c.levelScoreLagCov, c.levelScoreVar));
  const squareFactor = longRunFactor(correlation(c.squareLagCov, c.squareVar));
  const difference = (o.errorScore - c.lastErrorScore) / Math.SQRT2;
  c.lastErrorScore = o.errorScore;
  const centredSquare = difference * difference - 1;
  c.levelScoreVar += o.rate * (o.levelScore * o.levelScore - c.levelScoreVar);
  c.levelScoreLagCov += o.rate * (o.levelScore * c.lastLevelScore - c.levelScoreLagCov);
  c.lastLevelScore = o.levelScore;
  c.squareVar += o.rate * (centredSquare * centredSquare - c.squareVar);
  c.squareLagCov += o.rate * (centredSquare * c.lastSquare - c.squareLagCov);
  c.lastSquare = centredSquare;
  if (!track) return null;

  const k = LEVEL_REFERENCE;
  const q = o.levelScore * levelFactor;
  step(c.levelUp, 2 * k * (q - k), o.deviation, o.atMs);
  step(c.levelDown, 2 * k * (-q - k), o.deviation, o.atMs);
  // Normal scale alternative sigma = 2 against sigma = 1, on the squared score with its deviation from 1
  // shrunk for volatility clustering.
  const e2 = 1 + centredSquare * squareFactor;
  step(c.varianceUp, 0.375 * e2 - LN2, difference * difference, o.atMs);

  const threshold = thresholdBits * LN2;
  const sides: Array<[ChangeKind, CusumSide]> = [["level_up", c.levelUp], ["level_down", c.levelDown], ["variance_up", c.varianceUp]];
  for (const [kind, side] of sides) {
    if (side.stat < threshold || side.count === 0) continue;
    const mean = side.sum / side.count;
    const alarm: ChangeAlarm = { kind, bits: side.stat / LN2, sinceMs: side.sinceMs, count: side.count, estimate: kind.startsWith("level") ? mean : Math.sqrt(Math.max(mean, 1e-6)) };
    c.levelUp = emptySide();
    c.levelDown = emptySide();
    c.varianceUp = emptySide();
    return alarm;
  }
  return null;
}

/** The strongest evidence of a change so far (bits), for scores below the alarm. */
export function changeEvidenceBits(c: ChangeState): number {
  return Math.max(c.levelUp.stat, c.levelDown.stat, c.varianceUp.stat) / LN2;
}
