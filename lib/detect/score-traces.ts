// Chain-level scoring of a trace, per agent run (one per agent invocation): never-seen steps and
// transitions, improbable paths (bits per step), chain length, fan-out and loops (identical calls,
// repeating cycles). Every complete run is learned, alerted or not, the first time its trace is
// scored; a re-score after late spans scores again without learning twice, and a partial trace (scored
// at max wait, still running) is judged on what it shows so far and learned only once complete.
import { pushAnomaly, round } from "./anomaly-draft";
import { chainThresholdBits, noveltyThresholdBits, scoreOf } from "./budget";
import { changeExplanation, formatCount } from "./explain";
import { assess, DEFAULT_BASELINE_PARAMS, learn, type Baseline } from "./models/baseline";
import { CONTAMINATION_SHARE } from "./models/contamination";
import { agentRuns, type AgentRun } from "./models/chain-features";
import { learnTransitions, pathBitsPerStep, transitionsOf, worstNovelty } from "./models/markov";
import { countAtLeast, noveltyProbability, repetitionTail, SETTLED_CALLS, trimmedSingletons, type NoveltyPool } from "./models/novelty";
import { probabilityBits } from "./models/surprise";
import type { DetectionSettings, Detector } from "./settings";
import { chainKeyState, noveltyPool, stateKey, type ChainKeyState, type PartitionState } from "./state";
import type { AnomalyDraft, SpanRecord } from "./types";

const MIN_LOOP = 3;
/** Counts (steps, children) and bits per step: errors measured in at least a quarter of a unit. */
// One observation per run: anomalies are up to the run share of them (not the per-call share of span metrics).
const COUNT_PARAMS = { ...DEFAULT_BASELINE_PARAMS, minSpread: 0.25, anomalyShare: CONTAMINATION_SHARE };
/** Chain tests per run besides novelty: path, length, fan-out, repeated call, cycle (and the length's level shift). */
const TESTS_PER_RUN = 6;

export interface TraceToScore {
  projectId: string;
  traceId: string;
  spans: SpanRecord[];
  /** True when this scoring may teach the models (first complete scoring of the trace). */
  learn: boolean;
  /** False for a trace scored while still running (max wait): the end of its runs is not known. */
  complete: boolean;
}

export interface TraceScore {
  projectId: string;
  traceId: string;
  score: number;
  lastSeq: number;
}

export function scoreTraces(st: PartitionState, traces: readonly TraceToScore[], settingsFor: (projectId: string) => DetectionSettings): { traces: TraceScore[]; anomalies: AnomalyDraft[] } {
  const out: AnomalyDraft[] = [];
  const scores: TraceScore[] = [];
  for (const t of traces) {
    const settings = settingsFor(t.projectId);
    let score = 0;
    let lastSeq = 0;
    for (const s of t.spans) {
      score = Math.max(score, s.anomalyScore ?? 0);
      lastSeq = Math.max(lastSeq, s.seq);
    }
    const runs = agentRuns(t.spans);
    const thresholds = { chain: chainThresholdBits(settings, TESTS_PER_RUN * runs.length), novelty: noveltyThresholdBits(settings, runs.length) };
    for (const run of runs) score = Math.max(score, scoreRun(st, t, run, settings, thresholds, out));
    scores.push({ projectId: t.projectId, traceId: t.traceId, score, lastSeq });
  }
  return { traces: scores, anomalies: out };
}

const fmt = (v: number) => (v >= 10 ? formatCount(v) : (Math.round(v * 10) / 10).toString());
const show = (x: string) => (x === "^" ? "start" : x === "$" ? "end" : x);

interface RunContext {
  t: TraceToScore;
  run: AgentRun;
  cs: ChainKeyState;
  pool: NoveltyPool;
  settings: DetectionSettings;
  threshold: number;
  noveltyThreshold: number;
  out: AnomalyDraft[];
  entity: string;
}

function base(c: RunContext) {
  return { projectId: c.t.projectId, traceId: c.t.traceId, spanId: null, spanSeq: null, entity: c.entity, occurredMs: c.run.startMs, occurredEndMs: c.run.endMs };
}

const dedup = (c: RunContext, detector: string, metric: string) => `${c.t.projectId}:${c.t.traceId}:${detector}:${metric}:${c.run.instance}`;

function scoreRun(st: PartitionState, t: TraceToScore, run: AgentRun, settings: DetectionSettings, thresholds: { chain: number; novelty: number }, out: AnomalyDraft[]): number {
  const entity = `${run.service}/${run.agent}`;
  const cs = chainKeyState(st, stateKey(t.projectId, entity));
  const pool = noveltyPool(st, t.projectId);
  const c: RunContext = { t, run, cs, pool, settings, threshold: thresholds.chain, noveltyThreshold: thresholds.novelty, out, entity };
  const warm = cs.runs >= settings.chainMinHistory;
  const enabled = (d: Detector) => warm && !settings.disabled.has(d);
  const trs = transitionsOf(run.steps, t.complete);
  let score = 0;
  // One novelty test per run: a never-seen step, else a never-seen transition between known steps.
  if (enabled("transition")) score = Math.max(score, novelStep(c) || novelTransition(c, trs));
  // An improbable path of known transitions: judged on complete runs without novelty (novelty tells that story).
  const novel = trs.some((tr) => (cs.markov.t[tr.from]?.[tr.to] ?? 0) === 0);
  const pathBits = pathBitsPerStep(cs.markov, trs);
  if (t.complete) score = Math.max(score, baselineSignal(c, "transition", "path_surprise", cs.path, pathBits, pathBits, warm && !novel, (o, u) => `improbable path for ${run.agent}: ${o} bits/step vs usual ${u}`, "bits/step"));
  // Lengths and fan-outs are small counts, modelled as they are (on a log scale their light tails would look heavy).
  score = Math.max(score, baselineSignal(c, "chain_length", "steps", cs.length, run.length, run.length, warm, (o, u) => `chain of ${o} steps vs usual ${u} for ${run.agent}`, "steps"));
  score = Math.max(score, baselineSignal(c, "fanout", "children", cs.fanout, run.fanout, run.fanout, warm, (o, u) => `fan-out of ${o} child spans vs usual ${u} for ${run.agent}`, "child spans"));
  if (enabled("loop")) {
    score = Math.max(score, loopSignal(c, "repeated_call", run.sameCall.count, cs.sameCallAtLeast, pool.sameCallAtLeast, `call:${run.sameCall.step}`, `loop: ${run.sameCall.step} called ${run.sameCall.count} times with the same arguments in ${run.agent}`));
    score = Math.max(score, loopSignal(c, "cycle", run.cycle.repeats, cs.cycleAtLeast, pool.cycleAtLeast, `cycle:${run.cycle.steps.join(">")}`, `loop: cycle ${run.cycle.steps.join(" → ")} repeated ${run.cycle.repeats} times in ${run.agent}`));
  }
  if (t.learn && t.complete) learnRun(c, trs);
  return score;
}

function learnRun(c: RunContext, trs: ReturnType<typeof transitionsOf>): void {
  const { cs, pool, run } = c;
  const calls = stepCalls(cs);
  const settled = trimmedSingletons(cs.steps, calls) === 0 && calls >= SETTLED_CALLS;
  for (const step of run.steps) {
    if (settled) {
      pool.settledCalls += 1;
      if (!cs.steps[step]) pool.settledNew += 1;
    }
    cs.steps[step] = (cs.steps[step] ?? 0) + 1;
  }
  learnTransitions(cs.markov, pool, trs);
  countAtLeast(cs.sameCallAtLeast, run.sameCall.count);
  countAtLeast(cs.cycleAtLeast, run.cycle.repeats);
  countAtLeast(pool.sameCallAtLeast, run.sameCall.count);
  countAtLeast(pool.cycleAtLeast, run.cycle.repeats);
  cs.runs += 1;
}

function stepCalls(cs: ChainKeyState): number {
  let n = 0;
  for (const k in cs.steps) n += cs.steps[k]!;
  return n;
}

/** A step (tool, model call, sub-agent) this agent never used. */
function novelStep(c: RunContext): number {
  const { cs, pool, run } = c;
  const fresh = [...new Set(run.steps.filter((s) => !cs.steps[s]))];
  if (fresh.length === 0) return 0;
  const calls = stepCalls(cs);
  const p = noveltyProbability({ observations: calls, singletons: trimmedSingletons(cs.steps, calls) }, pool.settledCalls, pool.settledNew, SETTLED_CALLS);
  const bits = probabilityBits(Math.min(1, p * run.steps.length));
  const score = scoreOf(bits, c.noveltyThreshold);
  if (bits < c.noveltyThreshold) return score;
  pushAnomaly(c.out, c.settings, {
    ...base(c), detector: "transition", metric: "novel_step", observed: 0, expected: null, expectedLow: null, expectedHigh: null, score,
    explanation: `${run.agent} used ${fresh.map((s) => `"${s}"`).join(", ")} for the first time (never in ${formatCount(calls)} calls of ${formatCount(Object.keys(cs.steps).length)} known steps)`,
    details: { signal: "novel", bits: round(bits), threshold: round(c.noveltyThreshold), steps: fresh, calls, anchorSpanId: run.anchorSpanId, step: fresh[0] },
    dedupKey: dedup(c, "transition", "novel_step"),
  });
  return score;
}

function novelTransition(c: RunContext, trs: ReturnType<typeof transitionsOf>): number {
  const { cs, pool, run } = c;
  // Transitions into or out of a step never seen are the novel step's story, told once above.
  const known = trs.filter((tr) => (tr.from === "^" || cs.steps[tr.from]) && (tr.to === "$" || cs.steps[tr.to]));
  const novel = worstNovelty(cs.markov, pool, known, Math.ceil(c.settings.chainMinHistory / 2));
  if (!novel) return 0;
  const score = scoreOf(novel.bits, c.noveltyThreshold);
  if (novel.bits < c.noveltyThreshold) return score;
  pushAnomaly(c.out, c.settings, {
    ...base(c), detector: "transition", metric: "novel_transition", observed: 0, expected: null, expectedLow: null, expectedHigh: null, score,
    explanation: `novel transition ${show(novel.transition.from)} → ${show(novel.transition.to)} for ${run.agent} (never seen in ${formatCount(novel.visits)} visits of ${show(novel.transition.from)})`,
    details: { signal: "novel", bits: round(novel.bits), threshold: round(c.noveltyThreshold), from: novel.transition.from, to: novel.transition.to, visits: novel.visits, anchorSpanId: run.anchorSpanId },
    dedupKey: dedup(c, "transition", "novel_transition"),
  });
  return score;
}

function baselineSignal(
  c: RunContext, detector: Detector, metric: string, b: Baseline, y: number, observed: number, warm: boolean, describe: (o: string, u: string) => string, unitWord: string,
): number {
  const o = { y, atMs: runStartMs(c.t) };
  const a = assess(b, o, COUNT_PARAMS, c.settings.chainMinHistory);
  let score = 0;
  const judged = warm && !a.cold && !c.settings.disabled.has(detector);
  if (judged) {
    const bits = probabilityBits(a.pHigh);
    score = scoreOf(bits, c.threshold);
    const back = (v: number) => Math.max(0, v);
    if (bits >= c.threshold) {
      pushAnomaly(c.out, c.settings, {
        ...base(c), detector, metric, observed, expected: back(a.usual), expectedLow: null, expectedHigh: null, score,
        explanation: `${describe(fmt(observed), fmt(back(a.usual)))}${c.t.complete ? "" : " (still running)"}`,
        details: { signal: "spike", bits: round(bits), threshold: round(c.threshold), anchorSpanId: c.run.anchorSpanId, steps: c.run.steps.slice(0, 50), partial: !c.t.complete },
        dedupKey: dedup(c, detector, metric),
      });
    }
  }
  // A partial run's length and fan-out are lower bounds: judged above, learned only once complete.
  if (c.t.learn && c.t.complete) {
    const change = learn(b, o, a, { changeBits: judged && metric === "steps" ? c.threshold : Infinity, minHistory: c.settings.chainMinHistory }, COUNT_PARAMS);
    if (change && !change.recovery && (change.kind === "level_up" || change.kind === "level_down")) {
      const back = (v: number) => Math.max(0, v);
      const changeScore = scoreOf(change.bits, c.threshold);
      score = Math.max(score, changeScore);
      pushAnomaly(c.out, c.settings, {
        ...base(c), occurredMs: change.sinceMs > 0 ? Math.min(change.sinceMs, c.run.startMs) : c.run.startMs,
        detector, metric, observed: back(change.after), expected: back(change.before), expectedLow: null, expectedHigh: null, score: changeScore,
        explanation: changeExplanation(`chain length of ${c.run.agent}`, change, back(change.before), back(change.after), "count", unitWord),
        details: { signal: "level_shift", direction: change.kind, bits: round(change.bits), threshold: round(c.threshold), sinceMs: change.sinceMs, runs: change.count, anchorSpanId: c.run.anchorSpanId },
        dedupKey: `${dedup(c, detector, metric)}:${change.kind}`,
      });
    }
  }
  return score;
}

function runStartMs(t: TraceToScore): number {
  let start = Infinity;
  for (const s of t.spans) start = Math.min(start, s.startMs);
  return Number.isFinite(start) ? start : 0;
}

/** A loop against the agent's repetition counts (and the project's beyond them); pushes the anomaly when it alerts. */
function loopSignal(c: RunContext, metric: "repeated_call" | "cycle", k: number, own: readonly number[], pooled: readonly number[], signature: string, describe: string): number {
  if (k < MIN_LOOP || (c.cs.accepted[signature] ?? 0) >= k) return 0;
  const bits = probabilityBits(repetitionTail(own, pooled, k));
  const score = scoreOf(bits, c.threshold);
  if (bits < c.threshold) return score;
  pushAnomaly(c.out, c.settings, {
    ...base(c), detector: "loop", metric, observed: k, expected: null, expectedLow: null, expectedHigh: null, score, explanation: describe,
    // The step at fault, for notifications (a repeated call names one; a cycle has several).
    details: { signal: "loop", bits: round(bits), threshold: round(c.threshold), signature, anchorSpanId: c.run.anchorSpanId, step: metric === "repeated_call" ? c.run.sameCall.step : null },
    dedupKey: dedup(c, "loop", metric),
  });
  return score;
}

/**
 * Loops in traces that are still running, checked at every batch, so an agent stuck in a loop is
 * reported while it loops rather than when (or if) its root span ends. Only repeated identical calls:
 * their count can only grow as spans arrive, so an alert raised here is raised again, with the same
 * dedup key, when the trace completes. Nothing is learned here.
 */
export function scoreRunningLoops(st: PartitionState, traces: readonly TraceToScore[], settingsFor: (projectId: string) => DetectionSettings): AnomalyDraft[] {
  const out: AnomalyDraft[] = [];
  for (const t of traces) {
    const settings = settingsFor(t.projectId);
    if (settings.disabled.has("loop")) continue;
    const runs = agentRuns(t.spans);
    const threshold = chainThresholdBits(settings, TESTS_PER_RUN * runs.length);
    const noveltyThreshold = noveltyThresholdBits(settings, runs.length);
    for (const run of runs) {
      if (run.sameCall.count < MIN_LOOP) continue;
      const entity = `${run.service}/${run.agent}`;
      const cs = st.chains.get(stateKey(t.projectId, entity));
      if (!cs || cs.runs < settings.chainMinHistory) continue;
      const c: RunContext = { t, run, cs, pool: noveltyPool(st, t.projectId), settings, threshold, noveltyThreshold, out, entity };
      loopSignal(c, "repeated_call", run.sameCall.count, cs.sameCallAtLeast, c.pool.sameCallAtLeast, `call:${run.sameCall.step}`, `loop: ${run.sameCall.step} called ${run.sameCall.count} times with the same arguments in ${run.agent}`);
    }
  }
  return out;
}
