// First-order Markov model of an agent's step sequence with add-alpha smoothing. Novelty of a
// never-seen transition is scored with the Good-Turing estimate of "next is something new" from
// that state (singletons / visits), so states with a long tail of rare legit successors are
// treated as less surprising than states that always go the same way.
import { END, START } from "./chain-features";
import { probabilityBits } from "./surprise";

export interface Markov {
  /** Transition counts from -> to -> n. */
  t: Record<string, Record<string, number>>;
  /** Visits per source state. */
  out: Record<string, number>;
  /** Transitions held back from learning because they were alerted (count of alerted runs). */
  q: Record<string, number>;
}

export function emptyMarkov(): Markov {
  return { t: {}, out: {}, q: {} };
}

export interface Transition {
  from: string;
  to: string;
}

export function transitionsOf(steps: readonly string[]): Transition[] {
  const states = [START, ...steps, END];
  const out: Transition[] = [];
  for (let i = 0; i + 1 < states.length; i++) out.push({ from: states[i]!, to: states[i + 1]! });
  return out;
}

function singletons(m: Markov, from: string): number {
  let n = 0;
  for (const c of Object.values(m.t[from] ?? {})) if (c === 1) n++;
  return n;
}

export function transitionProbability(m: Markov, tr: Transition, alpha = 0.5): number {
  const row = m.t[tr.from] ?? {};
  let k = 1;
  for (const to in row) if (Object.hasOwn(row, to)) k++;
  return ((row[tr.to] ?? 0) + alpha) / ((m.out[tr.from] ?? 0) + alpha * k);
}

export interface NoveltyResult {
  bits: number;
  transition: Transition;
  visits: number;
}

/** The most surprising never-seen transition of a run (from states with at least minVisits). */
export function worstNovelty(m: Markov, trs: readonly Transition[], minVisits: number): NoveltyResult | null {
  let worst: NoveltyResult | null = null;
  for (const tr of trs) {
    const visits = m.out[tr.from] ?? 0;
    if (visits < minVisits || (m.t[tr.from]?.[tr.to] ?? 0) > 0) continue;
    const bits = probabilityBits((singletons(m, tr.from) + 0.5) / (visits + 1));
    if (!worst || bits > worst.bits) worst = { bits, transition: tr, visits };
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

/**
 * Learns a run's transitions. Never-seen transitions of an alerted run are quarantined instead:
 * they join the model only after `quarantineRuns` alerted runs (a lasting new behaviour) or feedback.
 */
export function learnTransitions(m: Markov, trs: readonly Transition[], alerted: ReadonlySet<string>, quarantineRuns: number): void {
  for (const tr of trs) {
    const key = transitionKey(tr);
    if (alerted.has(key)) {
      const q = (m.q[key] ?? 0) + 1;
      if (q < quarantineRuns) {
        m.q[key] = q;
        continue;
      }
      delete m.q[key];
    }
    addTransition(m, tr, 1);
  }
}

export function addTransition(m: Markov, tr: Transition, n: number): void {
  const row = (m.t[tr.from] ??= {});
  row[tr.to] = (row[tr.to] ?? 0) + n;
  m.out[tr.from] = (m.out[tr.from] ?? 0) + n;
}
