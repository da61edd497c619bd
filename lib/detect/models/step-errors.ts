// "A step that starts failing": Bernoulli CUSUMs per step key, one per alternative error rate, in bits.
// The usual rate p0 is a time-decayed Jeffreys estimate. Each CUSUM accumulates the log-likelihood
// ratio of "the rate is now p1" against p0; the bank covers p1 = 2x, 4x, 8x and 16x p0 (and near-total
// failure), so a 1 % -> 5 % rise is caught about as fast as the best single CUSUM for it would, and a
// 1 % -> 60 % one within a few calls. The bank alarms when any CUSUM reaches the threshold, which the
// caller sets for the whole bank (Bonferroni over its size): in-control run length >= 2^h / size.

export interface StepErrorState {
  /** Observations seen (not decayed), for cold start, and the event time of the last one. */
  count: number;
  lastMs: number;
  /** Decayed error and observation counts. */
  errors: number;
  calls: number;
  /** CUSUM statistics (bits), one per alternative, and the errors/calls since the largest one left 0. */
  cusums: number[];
  runErrors: number;
  runCalls: number;
  /** An episode was reported and has not ended (its CUSUMs have not all returned to 0). */
  reported?: boolean;
}

export const ERROR_MULTIPLIERS = [2, 4, 8, 16] as const;
export const ERROR_ALTERNATIVES = ERROR_MULTIPLIERS.length + 1;

export interface StepErrorParams {
  /** Half-life of the usual rate in event time, never shorter than minHalfLifeCalls calls. */
  halfLifeMs: number;
  minHalfLifeCalls: number;
  alertBits: number;
  minHistory: number;
}

export const DEFAULT_ERROR_MEMORY = { halfLifeMs: 24 * 3_600_000, minHalfLifeCalls: 2000 };

let minKeepFor = NaN;
let minKeepValue = 1;
function minKeep(calls: number): number {
  if (calls !== minKeepFor) {
    minKeepFor = calls;
    minKeepValue = Math.pow(2, -1 / calls);
  }
  return minKeepValue;
}

export function emptyStepErrors(): StepErrorState {
  return { count: 0, lastMs: 0, errors: 0, calls: 0, cusums: new Array(ERROR_ALTERNATIVES).fill(0), runErrors: 0, runCalls: 0 };
}

export interface StepErrorResult {
  /** Largest CUSUM after this observation (bits). */
  bits: number;
  alarm: boolean;
  /** Usual error probability. */
  p0: number;
  runErrors: number;
  runCalls: number;
}

export function usualErrorRate(s: StepErrorState): number {
  return Math.max(1e-4, (s.errors + 0.5) / (s.calls + 1));
}

export function alternativeRates(p0: number): number[] {
  return [...ERROR_MULTIPLIERS.map((m) => Math.min(0.95, m * p0)), Math.max(0.8, Math.min(0.95, 20 * p0))];
}

function llrBits(isError: boolean, p1: number, p0: number): number {
  return isError ? Math.log2(p1 / p0) : Math.log2((1 - p1) / (1 - p0));
}

/** Log-likelihood ratio terms (bits) of each alternative for an error and for a success, at one p0. */
interface LlrTerms {
  p0: number;
  onError: Float64Array;
  onSuccess: Float64Array;
}

let cachedTerms: LlrTerms = { p0: NaN, onError: new Float64Array(ERROR_ALTERNATIVES), onSuccess: new Float64Array(ERROR_ALTERNATIVES) };
function llrTerms(exactP0: number): LlrTerms {
  // p0 moves slowly: terms are computed at p0 rounded to 3 significant digits (a function of p0 alone,
  // so results do not depend on what this process computed before), and reused while it stays there.
  const p0 = Number(exactP0.toPrecision(3));
  if (cachedTerms.p0 === p0) return cachedTerms;
  const alternatives = alternativeRates(p0);
  const terms: LlrTerms = { p0, onError: new Float64Array(ERROR_ALTERNATIVES), onSuccess: new Float64Array(ERROR_ALTERNATIVES) };
  for (let i = 0; i < ERROR_ALTERNATIVES; i++) {
    const p1 = alternatives[i]!;
    terms.onError[i] = p1 > p0 ? llrBits(true, p1, p0) : -Infinity;
    terms.onSuccess[i] = p1 > p0 ? llrBits(false, p1, p0) : -Infinity;
  }
  cachedTerms = terms;
  return terms;
}

export function observeStep(s: StepErrorState, isError: boolean, atMs: number, p: StepErrorParams): StepErrorResult {
  let bits = 0;
  const terms = llrTerms(usualErrorRate(s));
  const p0 = terms.p0;
  const step = isError ? terms.onError : terms.onSuccess;
  for (let i = 0; i < ERROR_ALTERNATIVES; i++) {
    const next = (s.cusums[i] ?? 0) + step[i]!;
    s.cusums[i] = next > 0 ? next : 0;
    if (next > bits) bits = next;
  }
  if (bits === 0) {
    s.runErrors = 0;
    s.runCalls = 0;
  } else {
    s.runCalls += 1;
    if (isError) s.runErrors += 1;
  }
  // One report per episode: after an alarm the CUSUMs keep running (capped at twice the threshold, so the
  // end of the episode is seen soon after it happens) and the next alarm waits until they are back at 0.
  if (bits === 0) s.reported = false;
  const alarm = s.count >= p.minHistory && bits >= p.alertBits && !s.reported;
  if (s.reported && bits > 2 * p.alertBits) for (let i = 0; i < s.cusums.length; i++) s.cusums[i] = Math.min(s.cusums[i]!, 2 * p.alertBits);
  const result: StepErrorResult = { bits, alarm, p0, runErrors: s.runErrors, runCalls: s.runCalls };
  const elapsed = s.count > 0 ? Math.max(0, atMs - s.lastMs) : 0;
  const keep = Math.max(Math.exp((-elapsed * Math.LN2) / p.halfLifeMs), minKeep(p.minHalfLifeCalls));
  s.errors = s.errors * keep + (isError ? 1 : 0);
  s.calls = s.calls * keep + 1;
  s.count += 1;
  s.lastMs = Math.max(s.lastMs, atMs);
  if (alarm) s.reported = true;
  return result;
}

/** Restart (feedback "expected"): a further alarm needs a full threshold of new evidence. */
export function restartErrorCusums(s: StepErrorState): void {
  s.cusums.fill(0);
  s.runErrors = 0;
  s.runCalls = 0;
  s.reported = false;
}
