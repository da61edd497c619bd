// The agent's decision chain: the ordered steps of a trace, transitions between them, loops.
// Pure, shared by the trace view (one trace) and the agents page (transition table over many).

export interface ChainSpan {
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  step?: string | null;
  kind: string;
  startMs: number;
  argsHash?: string | null;
  statusCode?: number;
}

export interface ChainStep {
  spanId: string;
  step: string;
  kind: string;
  /** How many times in a row (or earlier in the chain) the same step with the same arguments ran. */
  repeat: number;
  loop: boolean;
  error: boolean;
}

export const CHAIN_KINDS = new Set(["llm", "tool", "retriever", "embedding"]);
export const START = "⟨start⟩";
export const END = "⟨end⟩";

/** Decision steps in start order; a step repeated with identical arguments (or 3+ times) is a loop. */
export function buildDecisionChain(spans: readonly ChainSpan[]): ChainStep[] {
  const ordered = spans.filter((s) => CHAIN_KINDS.has(s.kind)).sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));
  const seen = new Map<string, number>();
  return ordered.map((s) => {
    const step = s.step || s.name;
    const key = `${step}\u0000${s.argsHash ?? ""}`;
    const repeat = (seen.get(key) ?? 0) + 1;
    seen.set(key, repeat);
    const loop = repeat >= 2 && (s.argsHash ? true : repeat >= 3);
    return { spanId: s.spanId, step, kind: s.kind, repeat, loop, error: s.statusCode === 2 };
  });
}

export interface Transition {
  from: string;
  to: string;
  count: number;
  /** count / transitions leaving `from`. */
  probability: number;
}

/** Transition table over many chains (each a list of step names), with start and end states. */
export function countTransitions(chains: readonly (readonly string[])[]): Transition[] {
  const counts = new Map<string, number>();
  const outgoing = new Map<string, number>();
  for (const chain of chains) {
    const states = [START, ...chain, END];
    for (let i = 0; i + 1 < states.length; i++) {
      const key = `${states[i]}\u0000${states[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      outgoing.set(states[i]!, (outgoing.get(states[i]!) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([key, count]) => {
      const [from, to] = key.split("\u0000") as [string, string];
      return { from, to, count, probability: count / outgoing.get(from)! };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || b.count - a.count);
}

/** Marks each transition of one chain as surprising when the table gives it a low probability. */
export function surprisingTransitions(chain: readonly string[], table: readonly Transition[], threshold = 0.05): boolean[] {
  const p = new Map(table.map((t) => [`${t.from}\u0000${t.to}`, t.probability]));
  return chain.map((step, i) => {
    const from = i === 0 ? START : chain[i - 1]!;
    return (p.get(`${from}\u0000${step}`) ?? 0) < threshold;
  });
}
