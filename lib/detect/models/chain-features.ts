// Turns the spans of one trace into per-agent runs: the ordered step sequence and the features
// the chain models score (length, fan-out, repeated identical calls, repeating cycles).

export interface ChainSpan {
  seq: number;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  agent: string | null;
  kind: string;
  step: string;
  argsHash: string | null;
  startMs: number;
}

export interface AgentRun {
  agent: string;
  service: string;
  steps: string[];
  length: number;
  fanout: number;
  /** Most frequent identical tool call (same step and argsHash). */
  sameCall: { count: number; step: string };
  /** Longest run of a repeating cycle of 2-4 identical calls. */
  cycle: { repeats: number; steps: string[] };
  /** The span to attach run-level anomalies to (the agent span, or the first step). */
  anchorSpanId: string;
}

export const START = "^";
export const END = "$";

export function agentRuns(spans: readonly ChainSpan[]): AgentRun[] {
  const children = new Map<string, number>();
  for (const s of spans) if (s.parentSpanId) children.set(s.parentSpanId, (children.get(s.parentSpanId) ?? 0) + 1);
  const byAgent = new Map<string, ChainSpan[]>();
  const anchors = new Map<string, ChainSpan>();
  for (const s of spans) {
    const agent = s.agent ?? "-";
    if (s.kind === "agent") {
      if (!anchors.has(agent)) anchors.set(agent, s);
      continue;
    }
    let list = byAgent.get(agent);
    if (!list) byAgent.set(agent, (list = []));
    list.push(s);
  }
  const runs: AgentRun[] = [];
  for (const [agent, list] of byAgent) {
    list.sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
    const anchor = anchors.get(agent) ?? list[0]!;
    let fanout = children.get(anchor.spanId) ?? 0;
    for (const s of list) fanout = Math.max(fanout, children.get(s.spanId) ?? 0);
    const tokens = list.map((s) => (s.argsHash ? `${s.step}#${s.argsHash}` : s.step));
    runs.push({
      agent,
      service: anchor.service,
      steps: list.map((s) => s.step),
      length: list.length,
      fanout,
      sameCall: mostRepeatedCall(list),
      cycle: longestCycle(tokens, list.map((s) => s.step)),
      anchorSpanId: anchor.spanId,
    });
  }
  return runs.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
}

function mostRepeatedCall(list: readonly ChainSpan[]): { count: number; step: string } {
  const counts = new Map<string, number>();
  let best = { count: 0, step: "" };
  for (const s of list) {
    if (!s.argsHash) continue;
    const key = `${s.step}#${s.argsHash}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > best.count) best = { count: n, step: s.step };
  }
  return best;
}

/** Longest consecutive repetition of a cycle of period 2..4 (tokens compare step and arguments). */
export function longestCycle(tokens: readonly string[], steps: readonly string[]): { repeats: number; steps: string[] } {
  let best = { repeats: 0, steps: [] as string[] };
  for (let period = 2; period <= 4; period++) {
    let run = 0;
    for (let i = 0; i + period < tokens.length; i++) {
      run = tokens[i] === tokens[i + period] ? run + 1 : 0;
      const repeats = Math.floor((run + period) / period);
      const start = i + period - run - period + 1;
      if (repeats >= 2 && repeats > best.repeats) {
        const cycle = tokens.slice(start, start + period);
        if (new Set(cycle).size > 1) best = { repeats, steps: steps.slice(start, start + period) };
      }
    }
  }
  return best;
}
