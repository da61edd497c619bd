// Huber's contamination model, shared by every model that learns from everything it sees: up to this
// share of a key's observations (calls, runs) may be anomalies rather than behaviour. What is rarer
// than that at the extreme end of a distribution is judged by the model fitted to the rest, so
// anomalies that recur now and then (an injected fault, a bug that keeps coming back) do not teach
// the model that they are normal; behaviour more common than that is learned as normal.
export const CONTAMINATION_SHARE = 0.005;
