// The change detectors watch one call per trace (a step's first call in the run), while the baseline
// learns every call. Where a step repeats within a run, its first call is not a typical call: a coding
// agent's first prompt is its system prompt and task, later ones carry the growing context, and the
// regressors fit the typical call. Measured against the all-call baseline, first calls then sit at a
// lasting offset, and the level CUSUMs read it as a shift, re-baseline every call onto the first calls,
// drift back as the other calls are learned, and alarm again: a saw-tooth of false level shifts.
// So watched calls are centred on themselves: their mean deviation from usual minus that of all calls,
// both learned at the level's pace. For a step called once per run the two means are learned from the
// same observations, so the offset is exactly 0. (Their spread is left alone: scaling the watched
// scores by a learned spread ratio made variance alarms more frequent on the adversarial traffic.)

export interface CallMoments {
  n: number;
  lastMs: number;
  /** Mean deviation from usual (transformed scale). */
  deviation: number;
}

export interface WatchedCalls {
  all: CallMoments;
  watched: CallMoments;
}

export const emptyCallMoments = (): CallMoments => ({ n: 0, lastMs: 0, deviation: 0 });
export const emptyWatchedCalls = (): WatchedCalls => ({ all: emptyCallMoments(), watched: emptyCallMoments() });

/** How far watched calls usually sit from all calls (subtract from a watched call's deviation). */
export function watchedOffset(w: WatchedCalls): number {
  return w.watched.n === 0 ? 0 : w.watched.deviation - w.all.deviation;
}

/** Learning rate of the means for moments with `n` observations, the last `elapsedMs` ago. */
export type MomentRate = (n: number, elapsedMs: number) => number;

function learnMoments(m: CallMoments, deviation: number, atMs: number, rate: MomentRate): void {
  m.deviation += rate(m.n, m.n === 0 ? 0 : atMs - m.lastMs) * (deviation - m.deviation);
  m.n += 1;
  m.lastMs = Math.max(m.lastMs, atMs);
}

/** Learns one call (after its scores were read): every call into `all`, watched ones into `watched` too. */
export function learnCall(w: WatchedCalls, o: { deviation: number; atMs: number; watched: boolean }, rate: MomentRate): void {
  learnMoments(w.all, o.deviation, o.atMs, rate);
  if (o.watched) learnMoments(w.watched, o.deviation, o.atMs, rate);
}
