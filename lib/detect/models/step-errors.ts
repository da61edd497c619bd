// "A step that starts failing when it usually succeeds": a Bernoulli CUSUM per step key.
// The baseline error probability p0 is an exponentially decayed Jeffreys estimate; the CUSUM
// accumulates the log-likelihood ratio (in bits) of "error rate jumped to p1" against p0 and
// alarms at h bits. Wald's bound gives an in-control run length of at least 2^h observations.

export interface StepErrorState {
  /** Observations seen (not decayed), for cold start. */
  count: number;
  /** Decayed error and observation counts. */
  de: number;
  dn: number;
  /** CUSUM statistics in bits (moderate and severe alternative), and the errors/calls since s was last zero. */
  s: number;
  s2?: number;
  runErr: number;
  runN: number;
}

export function emptyStepErrors(): StepErrorState {
  return { count: 0, de: 0, dn: 0, s: 0, runErr: 0, runN: 0 };
}

export interface StepErrorParams {
  halfLife: number;
  alertBits: number;
  minHistory: number;
}

export interface StepErrorResult {
  /** CUSUM value after this observation (bits). */
  bits: number;
  alarm: boolean;
  /** Usual error probability. */
  p0: number;
  runErr: number;
  runN: number;
}

export function baselineErrorRate(s: StepErrorState): number {
  return (s.de + 0.5) / (s.dn + 1);
}

/** Alternative hypothesis: a clear jump, at least +25 points or 4x the usual rate. */
export function alternativeRate(p0: number): number {
  return Math.min(0.95, Math.max(4 * p0, p0 + 0.25));
}

/** Severe alternative: the step (almost) always fails now. */
export function severeRate(p0: number): number {
  return Math.max(0.8, Math.min(0.95, 10 * p0));
}

function llr(isError: boolean, p1: number, p0: number): number {
  return isError ? Math.log2(p1 / p0) : Math.log2((1 - p1) / (1 - p0));
}

let decayFor = NaN;
let decayValue = 1;
function decay(halfLife: number): number {
  if (halfLife !== decayFor) {
    decayFor = halfLife;
    decayValue = Math.pow(2, -1 / halfLife);
  }
  return decayValue;
}

/**
 * Two CUSUMs run side by side (a moderate and a severe jump); each alone is optimal for its
 * alternative, and alarming on either at h + 1 bits keeps the false-alarm bound (Bonferroni over two).
 */
export function observeStep(state: StepErrorState, isError: boolean, p: StepErrorParams): StepErrorResult {
  const p0 = Math.max(1e-4, baselineErrorRate(state));
  state.s = Math.max(0, state.s + llr(isError, alternativeRate(p0), p0));
  state.s2 = Math.max(0, (state.s2 ?? 0) + llr(isError, severeRate(p0), p0));
  const stat = Math.max(state.s, state.s2);
  if (stat === 0) {
    state.runErr = 0;
    state.runN = 0;
  } else {
    state.runN += 1;
    if (isError) state.runErr += 1;
  }
  const alarm = state.count >= p.minHistory && stat >= p.alertBits + 1;
  const result: StepErrorResult = { bits: stat - 1, alarm, p0, runErr: state.runErr, runN: state.runN };
  const d = decay(p.halfLife);
  state.de = state.de * d + (isError ? 1 : 0);
  state.dn = state.dn * d + 1;
  state.count += 1;
  if (alarm) {
    // Restart: a further alarm needs a full h bits of new evidence.
    state.s = 0;
    state.s2 = 0;
    state.runErr = 0;
    state.runN = 0;
  }
  return result;
}
