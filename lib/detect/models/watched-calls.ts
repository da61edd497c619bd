// The change detectors watch one call per trace (a step's first call in the run), while the baseline
// learns every call. Where a step repeats within a run, its first call is not a typical call: a coding
// agent's first prompt is its system prompt and task, later ones carry the growing context, and the
// regressors fit the typical call. Measured against the all-call baseline, first calls then sit at a
// constant offset and spread, and the CUSUMs read that lasting misfit as a level shift, re-baseline
// every call onto the first calls, drift back as the other calls are learned, and alarm again.
// So the watched series is centred and scaled on itself: the mean deviation from usual of watched calls
// against that of all calls, and their mean absolute deviations around those means, both learned at
// the same pace. For a step called once per
// run the two series are the same observations, so the offset is exactly 0 and the scale exactly 1.

export interface CallMoments {
  n: number;
  lastMs: number;
  /** Mean deviation from usual (transformed scale), and the mean absolute deviation around it. */
  deviation: number;
  absDeviation: number;
}

export interface WatchedCalls {
  all: CallMoments;
  watched: CallMoments;
}

export const emptyCallMoments = (): CallMoments => ({ n: 0, lastMs: 0, deviation: 0, absDeviation: 0 });
export const emptyWatchedCalls = (): WatchedCalls => ({ all: emptyCallMoments(), watched: emptyCallMoments() });

/** How far watched calls usually sit from all calls (subtract from a watched call's deviation). */
export function watchedOffset(w: WatchedCalls): number {
  return w.watched.n === 0 ? 0 : w.watched.deviation - w.all.deviation;
}

/** How much more watched calls usually vary than all calls (divide a watched call's scores by it). */
export function watchedScale(w: WatchedCalls): number {
  if (w.watched.n === 0 || !(w.watched.absDeviation > 0) || !(w.all.absDeviation > 0)) return 1;
  return w.watched.absDeviation / w.all.absDeviation;
}

/** Learning rates of the two means for moments with `n` observations, the last `elapsedMs` ago. */
export type MomentRates = (n: number, elapsedMs: number) => { level: number; spread: number };

function learnMoments(m: CallMoments, deviation: number, atMs: number, rates: MomentRates): void {
  const { level: aLevel, spread: aSpread } = rates(m.n, m.n === 0 ? 0 : atMs - m.lastMs);
  m.absDeviation += aSpread * (Math.abs(deviation - m.deviation) - m.absDeviation);
  m.deviation += aLevel * (deviation - m.deviation);
  m.n += 1;
  m.lastMs = Math.max(m.lastMs, atMs);
}

/** Learns one call (after its scores were read): every call into `all`, watched ones into `watched` too. */
export function learnCall(w: WatchedCalls, o: { deviation: number; atMs: number; watched: boolean }, rates: MomentRates): void {
  learnMoments(w.all, o.deviation, o.atMs, rates);
  if (o.watched) learnMoments(w.watched, o.deviation, o.atMs, rates);
}
