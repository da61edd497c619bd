// Huber's contamination model, shared by every model that learns from everything it sees: up to this
// share of a key's observations (calls, runs) may be anomalies rather than behaviour. What is rarer
// than that at the extreme end of a distribution is judged by the model fitted to the rest, so
// anomalies that recur now and then (an injected fault, a bug that keeps coming back) do not teach
// the model that they are normal; behaviour more common than that is learned as normal.
export const CONTAMINATION_SHARE = 0.005;

/**
 * The same share per call of one step: a point anomaly (a spike, a blow-up) affects one call of a run,
 * and a run calls a step about five times (LLM turns; once for a tool it uses once, more in loops).
 * A recurring extreme value is behaviour once it is more common than this. Measured trade-off: at the
 * run share (0.5 %), NAB's recurring normal spikes alert every time (NAB standard 50, low-FP 37 at the
 * default threshold); at three observations (no share), a few injected spikes hide the next ones
 * (original generator spike recall 47 %, token blow-ups 18 %).
 */
export const POINT_CONTAMINATION_SHARE = CONTAMINATION_SHARE / 5;
