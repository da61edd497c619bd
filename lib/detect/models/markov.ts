// First-order Markov model of an agent's step sequence, with start and end states. Every run is
// learned, alerted or not. Transition probabilities use add-1/2 smoothing; the novelty of a
// never-seen transition comes from novelty.ts (Good-Turing on the state's successors, or the project's
// rate for well-established states).
import { END, START } from "./chain-features";
import { MATURE_VISITS, noveltyProbability, type NoveltyPool } from "./novelty";
import { probabilityBits } from "./surprise";

export interface Markov {
  /** Transition counts from -> to -> n. */
  t: Record<string, Record<string, number>>;
  /** Visits per source state. */
  out: Record<string, number>;
}

export function emptyMarkov(): Markov {
  return { t: {}, out: {} };
}

export interface Transition {
  from: string;
  to: string;
}

/** Transitions of a run; `complete` = false (a run still going) leaves out the transition to the end state. */
export function transitionsOf(steps: readonly string[], complete = true): Transition[] {
  const states = complete ? [START, ...steps, END] : [START, ...steps];
  const out: Transition[] = [];
  for (let i = 0; i + 1 < states.length; i++) out.push({ from: states[i]!, to: states[i + 1]! });
  return out;
}

function successorSingletons(m: Markov, from: string): number {
  let n = 0;
  const row = m.t[from];
  if (row) for (const to in row) if (row[to] === 1) n++;
  return n;
}

export function transitionProbability(m: Markov, tr: Transition, alpha = 0.5): number {
  const row = m.t[tr.from] ?? {};
  let k = 1;
  for (const to in row) if (Object.hasOwn(row, to)) k++;
  return ((row[tr.to] ?? 0) + alpha) / ((m.out[tr.from] ?? 0) + alpha * k);
}

export function isMature(m: Markov, from: string): boolean {
  return (m.out[from] ?? 0) >= MATURE_VISITS && successorSingletons(m, from) === 0;
}

export interface NoveltyResult {
  /** Probability of the most surprising never-seen transition, Bonferroni-adjusted for the run's transitions. */
  bits: number;
  transition: Transition;
  visits: number;
  established: boolean;
}

/** The most surprising never-seen transition of a run (from states with at least minVisits). */
export function worstNovelty(m: Markov, pool: NoveltyPool, trs: readonly Transition[], minVisits: number): NoveltyResult | null {
  let worst: NoveltyResult | null = null;
  for (const tr of trs) {
    const visits = m.out[tr.from] ?? 0;
    if (visits < minVisits || (m.t[tr.from]?.[tr.to] ?? 0) > 0) continue;
    const singletons = successorSingletons(m, tr.from);
    const p = noveltyProbability({ observations: visits, singletons }, pool.matureVisits, pool.matureNovel, MATURE_VISITS);
    const bits = probabilityBits(Math.min(1, p * trs.length));
    if (!worst || bits > worst.bits) worst = { bits, transition: tr, visits, established: singletons === 0 && visits >= MATURE_VISITS };
  }
  return worst;
}

/** Mean surprise per transition (bits), a length-independent measure of how improbable the path is. */
export function pathBitsPerStep(m: Markov, trs: readonly Transition[]): number {
  if (trs.length === 0) return 0;
  let sum = 0;
  for (const tr of trs) sum += probabilityBits(transitionProbability(m, tr));
  return sum / trs.length;
}

export const transitionKey = (tr: Transition) => `${tr.from}\u2192${tr.to}`;

/** Learns a run's transitions, and counts into the project's pool what well-established states did. */
export function learnTransitions(m: Markov, pool: NoveltyPool, trs: readonly Transition[]): void {
  for (const tr of trs) {
    if (isMature(m, tr.from)) {
      pool.matureVisits += 1;
      if ((m.t[tr.from]?.[tr.to] ?? 0) === 0) pool.matureNovel += 1;
    }
  }
  for (const tr of trs) addTransition(m, tr, 1);
}

export function addTransition(m: Markov, tr: Transition, n: number): void {
  const row = (m.t[tr.from] ??= {});
  row[tr.to] = (row[tr.to] ?? 0) + n;
  m.out[tr.from] = (m.out[tr.from] ?? 0) + n;
}
