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

  const loop = (metric: string, k: number, hist: number[], signature: string, describe: string) => {
    if (!enabled("loop") || k < MIN_LOOP || (cs.accepted[signature] ?? 0) >= k) return;
    const bits = tailBits(hist, cs.runs, k);
    const s = riskScore(bits, settings.alertBits.loop);
    score = Math.max(score, s);
    if (bits >= settings.alertBits.loop) {
      loopAlerted = true;
      push(out, settings, {
        ...base, detector: "loop", metric, observed: k, expected: null, expectedLow: null, expectedHigh: null, score: s, explanation: describe,
        details: { bits: round(bits), signature, anchorSpanId: run.anchorSpanId },
        dedupKey: dedup("loop", metric),
      });
    }
  };
  loop("repeated_call", run.sameCall.count, cs.sameCall, `call:${run.sameCall.step}`, `loop: ${run.sameCall.step} called ${run.sameCall.count} times with the same arguments in ${run.agent}`);
  loop("cycle", run.cycle.repeats, cs.cycle, `cycle:${run.cycle.steps.join(">")}`, `loop: cycle ${run.cycle.steps.join(" → ")} repeated ${run.cycle.repeats} times in ${run.agent}`);

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
