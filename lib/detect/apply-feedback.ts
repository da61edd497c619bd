// Feedback "expected" on an anomaly, applied to a partition's models: a span metric's value joins its
// baseline (learned several times, without change detection), a level shift becomes the new level, an
// error CUSUM bank restarts, a never-seen step or transition becomes known, a loop signature is accepted
// up to the observed count, a chain value joins its baseline, and a rate episode is closed.
import { learnConfirmed, type Baseline } from "./models/baseline";
import { addTransition } from "./models/markov";
import { restartErrorCusums } from "./models/step-errors";
import { COST, INPUT, LATENCY, OUTPUT } from "./score-spans";
import { stateKey, type PartitionState } from "./state";

export interface FeedbackRow {
  id: string;
  projectId: string;
  detector: string;
  metric: string;
  entity: string;
  observed: number | null;
  details: Record<string, unknown> | null;
}

const FEEDBACK_WEIGHT = 5;

export function applyFeedback(st: PartitionState, f: FeedbackRow): boolean {
  const key = stateKey(f.projectId, f.entity);
  const d = f.details ?? {};
  const atMs = typeof d.startMs === "number" ? d.startMs : 0;
  const x = typeof d.x === "number" ? d.x : undefined;
  const observed = f.observed ?? 0;
  if (f.detector === "latency" || f.detector === "tokens" || f.detector === "cost" || f.detector === "error") {
    const ks = st.spans.get(key);
    if (!ks) return false;
    // An error alarm (rising rate or fast failure) marked expected restarts the error evidence.
    if (f.detector === "error") restartErrorCusums(ks.errors);
    else {
      const spec = f.detector === "latency" ? LATENCY : f.detector === "cost" ? COST : f.metric === "input_tokens" ? INPUT : OUTPUT;
      const b: Baseline = spec === LATENCY ? ks.latency : spec === COST ? ks.cost : spec === INPUT ? ks.inputTokens : ks.outputTokens;
      learnConfirmed(b, { y: spec.y(observed), x, atMs }, FEEDBACK_WEIGHT);
    }
    st.dirtySpans.add(key);
    return true;
  }
  if (["transition", "loop", "chain_length", "fanout"].includes(f.detector)) {
    const cs = st.chains.get(key);
    if (!cs) return false;
    if (f.metric === "novel_transition" && typeof d.from === "string" && typeof d.to === "string") {
      addTransition(cs.markov, { from: d.from, to: d.to }, 2);
    } else if (f.metric === "novel_step" && Array.isArray(d.steps)) {
      for (const step of d.steps) if (typeof step === "string") cs.steps[step] = (cs.steps[step] ?? 0) + 2;
    } else if (f.detector === "loop" && typeof d.signature === "string") {
      cs.accepted[d.signature] = Math.max(cs.accepted[d.signature] ?? 0, observed);
    } else if (f.metric === "path_surprise") {
      learnConfirmed(cs.path, { y: observed, atMs }, FEEDBACK_WEIGHT);
    } else if (f.detector === "chain_length") {
      learnConfirmed(cs.length, { y: observed, atMs }, FEEDBACK_WEIGHT);
    } else if (f.detector === "fanout") {
      learnConfirmed(cs.fanout, { y: observed, atMs }, FEEDBACK_WEIGHT);
    }
    st.dirty.add(`chain|${key}`);
    return true;
  }
  const rs = st.rates.get(key);
  if (!rs) return false;
  // A rate episode marked expected: it stays accepted until it ends (its CUSUM returns to 0).
  if (f.detector === "volume") rs.volume.reported = ["up", "down", "silent"];
  else if (f.detector === "cost_rate") rs.spend.reported = ["up"];
  else if (f.detector === "error_rate") rs.errorCusums.fill(0);
  st.dirtyRates.add(key);
  return true;
}
