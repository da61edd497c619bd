// Turns the spans of one trace into agent runs, one per agent invocation (agent span), and the
// features the chain models score: the ordered step sequence, length, fan-out, repeated identical
// calls and repeating cycles. A step belongs to the run of its nearest agent-span ancestor; a sub-agent
// invocation is a step of its parent's run and a run of its own; unclassified spans nested in a step
// (a tool's HTTP request) are not steps. Steps that ran concurrently (siblings
// whose time intervals overlap) are put in a canonical order, so parallel calls finishing in random
// order are one behaviour, not many.

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
  endMs: number;
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
  /** Names the run within its trace: the agent, then "agent#2", "agent#3"... for its later invocations. */
  instance: string;
  /** Start of the run's first step. */
  startMs: number;
  /** End of the run: its agent span's end, or its last step's, whichever is later. */
  endMs: number;
}

export const START = "^";
export const END = "$";

/** The agent span a span's run belongs to: its nearest agent-kind ancestor (or null). */
function runOwners(spans: readonly ChainSpan[]): Map<ChainSpan, ChainSpan | null> {
  const byId = new Map<string, ChainSpan>();
  for (const s of spans) byId.set(s.spanId, s);
  const owner = new Map<ChainSpan, ChainSpan | null>();
  const resolve = (s: ChainSpan): ChainSpan | null => {
    const seen = new Set<ChainSpan>();
    let cur = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    while (cur && !seen.has(cur)) {
      if (cur.kind === "agent") return cur;
      const known = owner.get(cur);
      if (known !== undefined && cur.kind !== "agent") return known;
      seen.add(cur);
      cur = cur.parentSpanId ? byId.get(cur.parentSpanId) : undefined;
    }
    return null;
  };
  for (const s of spans) owner.set(s, resolve(s));
  return owner;
}

/** Orders a run's spans by start time, concurrent ones (overlapping a group's time span) by step and arguments. */
export function canonicalOrder<T extends Pick<ChainSpan, "startMs" | "endMs" | "step" | "argsHash" | "seq">>(list: readonly T[]): T[] {
  const sorted = [...list].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  const out: T[] = [];
  let group: T[] = [];
  let groupEnd = -Infinity;
  const flush = () => {
    group.sort((a, b) => (a.step < b.step ? -1 : a.step > b.step ? 1 : (a.argsHash ?? "") < (b.argsHash ?? "") ? -1 : (a.argsHash ?? "") > (b.argsHash ?? "") ? 1 : 0));
    out.push(...group);
    group = [];
  };
  for (const s of sorted) {
    if (group.length && s.startMs >= groupEnd) {
      flush();
      groupEnd = -Infinity;
    }
    group.push(s);
    groupEnd = Math.max(groupEnd, s.endMs);
  }
  flush();
  return out;
}

export function agentRuns(spans: readonly ChainSpan[]): AgentRun[] {
  const children = new Map<string, number>();
  for (const s of spans) if (s.parentSpanId) children.set(s.parentSpanId, (children.get(s.parentSpanId) ?? 0) + 1);
  const owners = runOwners(spans);
  const byId = new Map<string, ChainSpan>();
  for (const s of spans) byId.set(s.spanId, s);
  const runs = new Map<string, { anchor: ChainSpan | null; agent: string; steps: ChainSpan[] }>();
  const runOf = (owner: ChainSpan | null, fallbackAgent: string) => {
    const key = owner ? `span:${owner.spanId}` : `agent:${fallbackAgent}`;
    let run = runs.get(key);
    if (!run) runs.set(key, (run = { anchor: owner, agent: owner ? (owner.agent ?? "-") : fallbackAgent, steps: [] }));
    return run;
  };
  for (const s of spans) {
    if (s.kind === "agent") runOf(s, s.agent ?? "-");
    const owner = owners.get(s) ?? null;
    // An agent span without an agent ancestor is a top-level run, not a step.
    if (s.kind === "agent" && !owner) continue;
    if (isStepDetail(s, byId)) continue;
    runOf(owner, s.agent ?? "-").steps.push(s);
  }
  const out: AgentRun[] = [];
  for (const run of runs.values()) {
    if (run.steps.length === 0) continue;
    const list = canonicalOrder(run.steps);
    const anchor = run.anchor ?? list[0]!;
    let fanout = run.anchor ? (children.get(run.anchor.spanId) ?? 0) : 0;
    for (const s of list) if (s.kind !== "agent") fanout = Math.max(fanout, children.get(s.spanId) ?? 0);
    const tokens = list.map((s) => (s.argsHash ? `${s.step}#${s.argsHash}` : s.step));
    out.push({
      agent: run.agent,
      service: anchor.service,
      steps: list.map((s) => s.step),
      length: list.length,
      fanout,
      sameCall: mostRepeatedCall(list),
      cycle: longestCycle(tokens, list.map((s) => s.step)),
      anchorSpanId: anchor.spanId,
      instance: run.agent,
      startMs: list[0]!.startMs,
      endMs: list.reduce((end, s) => Math.max(end, s.endMs), run.anchor?.endMs ?? -Infinity),
    });
  }
  out.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : a.startMs - b.startMs || (a.anchorSpanId < b.anchorSpanId ? -1 : 1)));
  for (let i = 1, n = 1; i < out.length; i++) {
    n = out[i]!.agent === out[i - 1]!.agent ? n + 1 : 1;
    if (n > 1) out[i]!.instance = `${out[i]!.agent}#${n}`;
  }
  return out;
}

/**
 * An unclassified span (HTTP, database) inside another step is how that step did its work, not a
 * decision of the agent: a tool's HTTP request is part of the tool call. Directly under the agent it is a step.
 */
function isStepDetail(s: ChainSpan, byId: ReadonlyMap<string, ChainSpan>): boolean {
  if (s.kind !== "other" || !s.parentSpanId) return false;
  const parent = byId.get(s.parentSpanId);
  return parent !== undefined && parent.kind !== "agent";
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
