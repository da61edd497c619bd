// Feedback "expected" on an anomaly, applied to a partition's models: a baseline value joins the
// baseline (learned unclipped, with extra weight), a never-seen transition becomes known, a loop
// signature is accepted up to the observed count, and a rate CUSUM restarts at the new level.
import { DEFAULT_BASELINE_PARAMS, learn, whenOf } from "./models/baseline";
import { addTransition } from "./models/markov";
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
const COUNT_PARAMS = { ...DEFAULT_BASELINE_PARAMS, minSigma: 0.1 };

export function applyFeedback(st: PartitionState, f: FeedbackRow): boolean {
  const key = stateKey(f.projectId, f.entity);
  const d = f.details ?? {};
  const when = whenOf(typeof d.startMs === "number" ? d.startMs : 0);
  const x = typeof d.x === "number" ? d.x : undefined;
  const observed = f.observed ?? 0;
  if (f.detector === "latency" || f.detector === "tokens" || f.detector === "cost" || f.detector === "error") {
    const ks = st.spans.get(key);
    if (!ks) return false;
    if (f.detector === "error") {
      ks.errors.de += typeof d.errors === "number" ? d.errors : 1;
      ks.errors.s = 0;
    } else {
      const b = f.detector === "latency" ? ks.latency : f.detector === "cost" ? ks.cost : f.metric === "input_tokens" ? ks.inputTokens : ks.outputTokens;
      const y = f.detector === "cost" ? Math.log1p(observed * 1e6) : Math.log1p(observed);
      learn(b, y, x, when, DEFAULT_BASELINE_PARAMS, FEEDBACK_WEIGHT);
    }
    st.dirty.add(`span|${key}`);
    return true;
  }
  if (["transition", "loop", "chain_length", "fanout"].includes(f.detector)) {
    const cs = st.chains.get(key);
    if (!cs) return false;
    if (f.metric === "novel_transition" && typeof d.from === "string" && typeof d.to === "string") {
      const tr = { from: d.from, to: d.to };
      delete cs.markov.q[`${tr.from}\u2192${tr.to}`];
      addTransition(cs.markov, tr, 2);
    } else if (f.detector === "loop" && typeof d.signature === "string") {
      cs.accepted[d.signature] = Math.max(cs.accepted[d.signature] ?? 0, observed);
    } else if (f.metric === "path_surprise") {
      learn(cs.path, observed, undefined, when, DEFAULT_BASELINE_PARAMS, FEEDBACK_WEIGHT);
    } else if (f.detector === "chain_length") {
      learn(cs.length, Math.log1p(observed), undefined, when, COUNT_PARAMS, FEEDBACK_WEIGHT);
    } else if (f.detector === "fanout") {
      learn(cs.fanout, Math.log1p(observed), undefined, when, COUNT_PARAMS, FEEDBACK_WEIGHT);
    }
    st.dirty.add(`chain|${key}`);
    return true;
  }
  const rs = st.rates.get(key);
  if (!rs) return false;
  const perWindow = observed / 6;
  if (f.detector === "volume") {
    rs.vol.lam = Math.max(rs.vol.lam, perWindow);
    rs.vol.s = 0;
  } else if (f.detector === "cost_rate") {
    if (rs.unit > 0) rs.spend.lam = Math.max(rs.spend.lam, perWindow / rs.unit);
    rs.spend.s = 0;
  } else if (f.detector === "error_rate") {
    rs.de = Math.max(rs.de, observed * rs.dn);
    rs.se = 0;
  }
  st.dirty.add(`rate|${key}`);
  return true;
}
