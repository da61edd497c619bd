// Chain-level scoring of a completed trace, per agent run: never-seen transitions, improbable
// paths (bits per step), chain length, fan-out and loops (identical calls, repeating cycles).
// Learning happens only the first time a trace is scored, so a re-score after late spans does
// not count the run twice.
import { formatCount } from "./explain";
import { DEFAULT_BASELINE_PARAMS, learn, predict, surpriseHigh, whenOf, type Baseline, type BaselineParams } from "./models/baseline";
import { agentRuns, type AgentRun } from "./models/chain-features";
import { learnTransitions, pathBitsPerStep, transitionKey, transitionsOf, worstNovelty } from "./models/markov";
import { probabilityBits, riskScore, zQuantile } from "./models/surprise";
import { push, round } from "./score-spans";
import type { DetectionSettings, Detector } from "./settings";
import { chainKeyState, HIST_MAX, stateKey, type ChainKeyState, type PartitionState } from "./state";
import type { AnomalyDraft, SpanRecord } from "./types";

const Z99 = zQuantile(0.99);
const COUNT_PARAMS: BaselineParams = { ...DEFAULT_BASELINE_PARAMS, minSigma: 0.1 };
const PATH_PARAMS: BaselineParams = { ...DEFAULT_BASELINE_PARAMS, minSigma: 0.15 };
const MIN_LOOP = 3;

export interface TraceToScore {
  projectId: string;
  traceId: string;
  spans: SpanRecord[];
  /** False when the trace was scored before (late spans): score it, do not learn it again. */
  firstTime: boolean;
}

export interface TraceScore {
  projectId: string;
  traceId: string;
  score: number;
  lastSeq: number;
}

export function scoreTraces(st: PartitionState, traces: readonly TraceToScore[], settingsFor: (projectId: string) => DetectionSettings, spanScores: ReadonlyMap<number, number>): { traces: TraceScore[]; anomalies: AnomalyDraft[] } {
  const out: AnomalyDraft[] = [];
  const scores: TraceScore[] = [];
  for (const t of traces) {
    const settings = settingsFor(t.projectId);
    let score = 0;
    let lastSeq = 0;
    for (const s of t.spans) {
      score = Math.max(score, spanScores.get(s.seq) ?? s.anomalyScore ?? 0);
      lastSeq = Math.max(lastSeq, s.seq);
    }
    const startMs = t.spans.reduce((m, s) => Math.min(m, s.startMs), Infinity);
    for (const run of agentRuns(t.spans)) score = Math.max(score, scoreRun(st, t, run, settings, startMs, out));
    scores.push({ projectId: t.projectId, traceId: t.traceId, score, lastSeq });
  }
  return { traces: scores, anomalies: out };
}

const fmt = (v: number) => (v >= 10 ? formatCount(v) : (Math.round(v * 10) / 10).toString());
const exp1 = (y: number) => Math.max(0, Math.expm1(y));
const same = (y: number) => y;
const show = (x: string) => (x === "^" ? "start" : x === "$" ? "end" : x);

interface LoopEvidence {
  metric: "repeated_call" | "cycle";
  k: number;
  hist: number[];
  signature: string;
  describe: string;
}

const repeatedCall = (run: AgentRun, cs: ChainKeyState): LoopEvidence => ({
  metric: "repeated_call", k: run.sameCall.count, hist: cs.sameCall, signature: `call:${run.sameCall.step}`,
  describe: `loop: ${run.sameCall.step} called ${run.sameCall.count} times with the same arguments in ${run.agent}`,
});
const cycle = (run: AgentRun, cs: ChainKeyState): LoopEvidence => ({
  metric: "cycle", k: run.cycle.repeats, hist: cs.cycle, signature: `cycle:${run.cycle.steps.join(">")}`,
  describe: `loop: cycle ${run.cycle.steps.join(" → ")} repeated ${run.cycle.repeats} times in ${run.agent}`,
});

/** A loop signal against the agent's history of repeats; pushes the anomaly when it alerts. */
function loopSignal(cs: ChainKeyState, t: { projectId: string; traceId: string }, run: AgentRun, e: LoopEvidence, settings: DetectionSettings, out: AnomalyDraft[]): { score: number; alerted: boolean } {
  if (e.k < MIN_LOOP || (cs.accepted[e.signature] ?? 0) >= e.k) return { score: 0, alerted: false };
  const bits = tailBits(e.hist, cs.runs, e.k);
  const score = riskScore(bits, settings.alertBits.loop);
  if (bits < settings.alertBits.loop) return { score, alerted: false };
  push(out, settings, {
    projectId: t.projectId, traceId: t.traceId, spanId: null, spanSeq: null, entity: `${run.service}/${run.agent}`, detector: "loop", metric: e.metric,
    observed: e.k, expected: null, expectedLow: null, expectedHigh: null, score, explanation: e.describe,
    details: { bits: round(bits), signature: e.signature, anchorSpanId: run.anchorSpanId },
    dedupKey: `${t.projectId}:${t.traceId}:loop:${e.metric}:${run.agent}`,
  });
  return { score, alerted: true };
}

/**
 * Loops in traces that are still running, checked at every batch, so an agent stuck in a loop is
 * reported while it loops rather than when (or if) its root span ends. Only repeated identical
 * calls: their count can only grow as spans arrive, and a run completing meanwhile cannot weaken the
 * final check (a run with as many repeats would alert itself and is not learned), so an alert raised
 * here is raised again, with the same dedup key, when the trace completes. Nothing is learned here.
 */
export function scoreRunningLoops(st: PartitionState, traces: readonly TraceToScore[], settingsFor: (projectId: string) => DetectionSettings): AnomalyDraft[] {
  const out: AnomalyDraft[] = [];
  for (const t of traces) {
    const settings = settingsFor(t.projectId);
    if (settings.disabled.has("loop")) continue;
    for (const run of agentRuns(t.spans)) {
      if (run.sameCall.count < MIN_LOOP) continue;
      const cs = st.chains.get(stateKey(t.projectId, `${run.service}/${run.agent}`));
      if (cs && cs.runs >= settings.chainMinHistory) loopSignal(cs, t, run, repeatedCall(run, cs), settings, out);
    }
  }
  return out;
}

function tailBits(hist: readonly number[], runs: number, k: number): number {
  let n = 0;
  for (let i = Math.min(k, HIST_MAX); i < hist.length; i++) n += hist[i] ?? 0;
  return probabilityBits((n + 0.5) / (runs + 1));
}

function scoreRun(st: PartitionState, t: TraceToScore, run: AgentRun, settings: DetectionSettings, startMs: number, out: AnomalyDraft[]): number {
  const entity = `${run.service}/${run.agent}`;
  const cs: ChainKeyState = chainKeyState(st, stateKey(t.projectId, entity));
  const warm = cs.runs >= settings.chainMinHistory;
  const when = whenOf(startMs);
  const trs = transitionsOf(run.steps);
  let score = 0;
  const alertedTransitions = new Set<string>();
  let loopAlerted = false;
  const base = { projectId: t.projectId, traceId: t.traceId, spanId: null, spanSeq: null, entity };
  const dedup = (detector: string, metric: string) => `${t.projectId}:${t.traceId}:${detector}:${metric}:${run.agent}`;
  const enabled = (d: Detector) => warm && !settings.disabled.has(d);

  if (enabled("transition")) {
    const novel = worstNovelty(cs.markov, trs, Math.ceil(settings.chainMinHistory / 2));
    if (novel) {
      const s = riskScore(novel.bits, settings.alertBits.transition);
      score = Math.max(score, s);
      if (novel.bits >= settings.alertBits.transition) {
        alertedTransitions.add(transitionKey(novel.transition));
        for (const tr of trs) if ((cs.markov.t[tr.from]?.[tr.to] ?? 0) === 0) alertedTransitions.add(transitionKey(tr));
        push(out, settings, {
          ...base, detector: "transition", metric: "novel_transition", observed: 0, expected: null, expectedLow: null, expectedHigh: null, score: s,
          explanation: `novel transition ${show(novel.transition.from)} → ${show(novel.transition.to)} for ${run.agent} (never seen in ${formatCount(novel.visits)} visits of ${show(novel.transition.from)})`,
          details: { bits: round(novel.bits), from: novel.transition.from, to: novel.transition.to, visits: novel.visits, anchorSpanId: run.anchorSpanId },
          dedupKey: dedup("transition", "novel_transition"),
        });
      }
    }
  }

  const baselineSignal = (detector: Detector, metric: string, b: Baseline, y: number, observed: number, back: (y: number) => number, describe: (o: string, u: string, p: string) => string, params: BaselineParams) => {
    if (enabled(detector) && b.n >= settings.chainMinHistory) {
      const pred = predict(b, undefined, when, params);
      const { bits } = surpriseHigh(pred, y);
      const s = riskScore(bits, settings.alertBits[detector]);
      score = Math.max(score, s);
      if (bits >= settings.alertBits[detector]) {
        const usual = back(pred.mean);
        const p99 = back(pred.mean + Z99 * pred.sigma);
        push(out, settings, {
          ...base, detector, metric, observed, expected: usual, expectedLow: back(pred.mean - Z99 * pred.sigma), expectedHigh: p99, score: s,
          explanation: describe(fmt(observed), fmt(usual), fmt(p99)),
          details: { bits: round(bits), anchorSpanId: run.anchorSpanId, steps: run.steps.slice(0, 50) },
          dedupKey: dedup(detector, metric),
        });
      }
    }
    if (t.firstTime) learn(b, y, undefined, when, params);
  };

  const pathBits = pathBitsPerStep(cs.markov, trs);
  baselineSignal("transition", "path_surprise", cs.path, pathBits, pathBits, same, (o, u, p) => `improbable path for ${run.agent}: ${o} bits/step vs usual ${u} (p99 ${p})`, PATH_PARAMS);
  baselineSignal("chain_length", "steps", cs.length, Math.log1p(run.length), run.length, exp1, (o, u, p) => `chain of ${o} steps vs usual ${u} (p99 ${p}) for ${run.agent}`, COUNT_PARAMS);
  baselineSignal("fanout", "children", cs.fanout, Math.log1p(run.fanout), run.fanout, exp1, (o, u, p) => `fan-out of ${o} child spans vs usual ${u} (p99 ${p}) for ${run.agent}`, COUNT_PARAMS);

  if (enabled("loop")) {
    for (const signal of [repeatedCall(run, cs), cycle(run, cs)]) {
      const r = loopSignal(cs, t, run, signal, settings, out);
      score = Math.max(score, r.score);
      if (r.alerted) loopAlerted = true;
    }
  }

  if (t.firstTime) {
    learnTransitions(cs.markov, trs, alertedTransitions, settings.quarantineRuns);
    if (!loopAlerted) {
      cs.sameCall[Math.min(run.sameCall.count, HIST_MAX)]! += 1;
      cs.cycle[Math.min(run.cycle.repeats, HIST_MAX)]! += 1;
    }
    cs.runs += 1;
  }
  return score;
}
