// Alert thresholds from one false-alarm budget. A project allows `falseAlertsPer10k` alerts on normal
// traffic per 10,000 traces; that probability is shared between the families of tests, and within a
// family between the tests a trace runs (Bonferroni), so a 500-span trace is held to the same budget
// as a 5-span one. Sequential tests (CUSUMs) get a per-observation false-alarm rate (Wald: a CUSUM
// with threshold h bits alarms less than once per 2^h observations under "nothing changed"). Rate
// detectors, which watch time rather than traces, get the same budget per 10,000 key-hours.
//
// A signal's score is 1 - 2^(-bits / threshold): 0.5 exactly at its threshold, whatever the family,
// so scores from different detectors compare, and the severity table applies to all of them.
import { CHANGE_SIDES } from "./models/change-detector";
import type { DetectionSettings } from "./settings";

export type Family = "point" | "change" | "error" | "chain" | "novelty";

/** Share of the per-trace budget of each family of tests. */
const SHARE: Record<Family, number> = { point: 0.35, change: 0.15, error: 0.1, chain: 0.15, novelty: 0.25 };

/** Tests of a trace before they are known (a new project), per family. */
export const DEFAULT_TESTS_PER_TRACE = 25;

const traceAlpha = (s: DetectionSettings) => s.falseAlertsPer10k / 10_000;

/**
 * Threshold (bits) of one point test. `expectedTests` is how many such tests a trace of this project
 * usually runs; the k-th test beyond that count pays a growing penalty (2 log2(k / expected)), so the
 * total over a trace of any length stays within twice the family's share.
 */
export function pointThresholdBits(s: DetectionSettings, expectedTests: number, testIndex: number): number {
  const m = Math.max(1, expectedTests);
  return Math.log2(m / (traceAlpha(s) * SHARE.point)) + 2 * Math.log2(Math.max(1, testIndex / m));
}

/** Threshold (bits) of the change CUSUMs of a metric (three sides), given the observations a trace usually brings. */
export function changeThresholdBits(s: DetectionSettings, expectedObservations: number): number {
  return Math.log2((CHANGE_SIDES * Math.max(1, expectedObservations)) / (traceAlpha(s) * SHARE.change));
}

/** Threshold (bits) of a step's error CUSUM bank (`alternatives` CUSUMs), given the spans a trace usually has. */
export function errorThresholdBits(s: DetectionSettings, expectedSpans: number, alternatives: number): number {
  return Math.log2((alternatives * Math.max(1, expectedSpans)) / (traceAlpha(s) * SHARE.error));
}

/** Threshold (bits) of one chain test, given the chain tests this trace runs. */
export function chainThresholdBits(s: DetectionSettings, testsInTrace: number): number {
  return Math.log2(Math.max(1, testsInTrace) / (traceAlpha(s) * SHARE.chain));
}

/**
 * Threshold (bits) of the novelty test of each agent run (a step or a transition never seen). Its
 * probability is that of the run containing anything new under normal behaviour, so alerting at this
 * threshold raises about `share` of the budget in false alerts where behaviour legitimately evolves.
 */
export function noveltyThresholdBits(s: DetectionSettings, runsInTrace: number): number {
  return Math.log2(Math.max(1, runsInTrace) / (traceAlpha(s) * SHARE.novelty));
}

/** Threshold (bits) of a rate CUSUM with `sides` sides evaluated `windowsPerHour` times an hour. */
export function rateThresholdBits(s: DetectionSettings, windowsPerHour: number, sides: number): number {
  return Math.log2((sides * windowsPerHour) / (s.falseAlertsPer10k / 10_000));
}

/** Risk score in [0, 1): 0.5 at the threshold, 0.75 at twice it (the square of the threshold's rarity). */
export function scoreOf(bits: number, thresholdBits: number): number {
  if (!(bits > 0) || !(thresholdBits > 0)) return 0;
  return 1 - Math.pow(2, -bits / thresholdBits);
}
