// How surprising is a never-seen step, transition or repetition count? One agent's own history can
// never make novelty rarer than about 1/N after N observations (Good-Turing: the chance the next
// observation is new is about the share of things seen only once). Well-established behaviour is a
// reference class across the project: states that have been visited often and have no successor seen
// only once, and agents whose repertoire has no step used only once, are pooled, and the rate at which
// such behaviour produced something new is the probability used for them. A project whose settled
// agents never change learns that novelty there is very rare; one whose agents keep evolving learns it
// is not. Nothing is censored: every run counts, alerted or not.

import { CONTAMINATION_SHARE } from "./contamination";

export interface NoveltyPool {
  /** Visits of well-established states and the new successors seen from them. */
  matureVisits: number;
  matureNovel: number;
  /** Calls of agents with a settled repertoire and the new steps seen in them. */
  settledCalls: number;
  settledNew: number;
  /** Runs (all agents) whose largest identical-call count / cycle repeat count is at least j (index j). */
  sameCallAtLeast: number[];
  cycleAtLeast: number[];
}

/** Repetition counts are tracked up to this value (larger ones count as this). */
export const HIST_LIMIT = 32;

/** A state is well established after this many visits with no successor seen only once. */
export const MATURE_VISITS = 200;
/** An agent's repertoire is settled after this many calls with no step used only once. */
export const SETTLED_CALLS = 200;
/** Share of the pooled observations of established behaviour whose novelty may be anomalies. */
export const NOVELTY_CONTAMINATION = CONTAMINATION_SHARE;

export function emptyPool(): NoveltyPool {
  return { matureVisits: 0, matureNovel: 0, settledCalls: 0, settledNew: 0, sameCallAtLeast: new Array(HIST_LIMIT + 1).fill(0), cycleAtLeast: new Array(HIST_LIMIT + 1).fill(0) };
}

export interface Repertoire {
  /** Observations of the thing (visits of a state, calls of an agent) and how many distinct outcomes were seen once. */
  observations: number;
  singletons: number;
}

/** Probability that the next observation is new: pooled for established behaviour, Good-Turing otherwise. */
export function noveltyProbability(r: Repertoire, pooledObservations: number, pooledNew: number, establishedAfter: number): number {
  const own = (r.singletons + 0.5) / (r.observations + 1);
  // The pooled count of new things is trimmed by the contamination share: established behaviour that
  // changes in fewer than that share of observations (a foreign step now and then) does not teach the
  // project that novelty is common.
  const pooledTrimmed = Math.max(0, pooledNew - NOVELTY_CONTAMINATION * pooledObservations);
  if (r.singletons === 0 && r.observations >= establishedAfter) return Math.min(own, (pooledTrimmed + 0.5) / (pooledObservations + 1));
  return own;
}

/**
 * Steps an agent used only once, less the contamination share of its calls: a repertoire whose only
 * one-off steps are rarer than that (foreign steps injected now and then) is still settled, so its
 * next new step is judged at the settled rate rather than at the rate its one-offs suggest.
 */
export function trimmedSingletons(counts: Record<string, number>, calls: number): number {
  return Math.max(0, singletonCount(counts) - NOVELTY_CONTAMINATION * calls);
}

/** Singletons of a count table (outcomes seen exactly once). */
export function singletonCount(counts: Record<string, number>): number {
  let n = 0;
  for (const k in counts) if (counts[k] === 1) n++;
  return n;
}

/** Prior continuation probability P(K >= j | K >= j - 1) for j >= 3 before any data. */
const PRIOR_CONTINUATION = 0.25;
const PRIOR_WEIGHT = 2;
/**
 * Share of runs that may be anomalies without teaching that their repetition is normal (Huber's
 * contamination, as for the span baselines' tails): that many runs are taken off every count of three
 * repetitions or more, the most repetitive runs first. An agent whose trimmed counts still reach four
 * repetitions has a habit (polling): it is judged on its raw counts, shrunk towards the rate its habit
 * shows; others continue at the project's (trimmed) rate, then the prior's.
 * A loop that recurs in 1 run of 1,000 (injected, or a bug that keeps coming back) stays a loop
 * however often it recurs.
 */
export const REPETITION_CONTAMINATION = CONTAMINATION_SHARE;

const rawAt = (table: readonly number[], j: number) => table[Math.min(j, HIST_LIMIT)] ?? 0;

/** Runs with K >= j, less the contamination share of all runs for j >= 3 (never below 0). */
function trimmedAtLeast(table: readonly number[], j: number): number {
  const count = rawAt(table, j);
  return j >= 3 ? Math.max(0, count - REPETITION_CONTAMINATION * (table[1] ?? 0)) : count;
}

/**
 * The continuation rate of a repetition habit, P(K >= j | K >= j - 1) averaged (geometrically) over
 * j = 4..top, where top is the largest count left after trimming; null without such a band.
 */
function habitContinuation(table: readonly number[]): number | null {
  let top = 0;
  for (let j = 3; j <= HIST_LIMIT; j++) if (trimmedAtLeast(table, j) > 0) top = j;
  if (top < 4) return null;
  return Math.pow(table[top]! / table[3]!, 1 / (top - 3));
}

/**
 * P(K >= k | K >= 1) for a repetition count K (largest identical-call count, or cycle repeats) of an
 * agent's runs: a product of continuation probabilities P(K >= j | K >= j - 1). The first step (any
 * repetition at all) is the agent's own rate; further steps are the agent's own rates shrunk towards
 * the project's, so that beyond what this agent has shown, the project's experience extrapolates.
 * `atLeast[j]` = runs with K >= j; counts are trimmed by the contamination share.
 */
export function repetitionTail(own: readonly number[], pooled: readonly number[], k: number): number {
  if (k <= 1) return 1;
  const ownAt = (j: number) => trimmedAtLeast(own, j);
  const poolAt = (j: number) => trimmedAtLeast(pooled, j);
  const habitRate = habitContinuation(own);
  let p = (ownAt(2) + 0.5) / (ownAt(1) + 1);
  for (let j = 3; j <= k; j++) {
    if (habitRate !== null) {
      // A habit is more common than the contamination share: its raw counts, shrunk towards its own rate.
      p *= (rawAt(own, j) + PRIOR_WEIGHT * habitRate) / (rawAt(own, j - 1) + PRIOR_WEIGHT);
      continue;
    }
    // A pooled level trimmed to nothing says nothing about continuing there (the project's natural
    // triple retries are rarer than the share): the prior speaks, not a continuation of zero.
    const pooledContinuation = poolAt(j) > 0 ? (poolAt(j) + PRIOR_WEIGHT * PRIOR_CONTINUATION) / (poolAt(j - 1) + PRIOR_WEIGHT) : PRIOR_CONTINUATION;
    p *= (ownAt(j) + PRIOR_WEIGHT * pooledContinuation) / (ownAt(j - 1) + PRIOR_WEIGHT);
  }
  return Math.min(1, p);
}

/** Adds a run's count K to an "at least" table (index 1..min(K, limit)). */
export function countAtLeast(table: number[], k: number): void {
  for (let j = 1; j <= Math.min(k, HIST_LIMIT); j++) table[j] = (table[j] ?? 0) + 1;
}
