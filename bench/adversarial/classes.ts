// Which detectors count as detecting each injected class, and the targets of issue 16 — one place.
// Matching is on the detector name (the models' rewrite keeps them), never on explanation text.
import type { AnomalyClass } from "../traffic/types";

export const CLASS_DETECTORS: Record<AnomalyClass, readonly string[]> = {
  spike: ["latency"],
  regression: ["latency"],
  error_rate: ["error", "error_rate"],
  fast_failure: ["error", "error_rate", "latency"],
  empty_output: ["tokens"],
  traffic_drop: ["volume"],
  traffic_surge: ["volume"],
  token_blowup: ["tokens"],
  price_change: ["cost", "cost_rate"],
  novel_tool: ["transition"],
  loop: ["loop"],
  chain_length: ["chain_length", "fanout"],
};

/**
 * Precision: besides their class's detectors and the rate detectors, which detectors' rows on an
 * affected trace a window episode explains ("any": everything changes). Rows on the one trace of a
 * per-run injection are all explained. Traffic episodes explain only rate rows: their traces are normal.
 */
export const WINDOW_EXPLAINS: Partial<Record<AnomalyClass, readonly string[] | "any">> = {
  regression: [],
  error_rate: ["loop", "transition"], // retries of the failed call
  fast_failure: "any", // runs end early, paths change
  price_change: [],
  traffic_drop: [],
  traffic_surge: [],
};

/** Detectors that judge a rate over a window (service / agent level) and point at a reference trace. */
export const RATE_DETECTORS: ReadonlySet<string> = new Set(["volume", "error_rate", "cost_rate"]);

/** Episodes that last a while (matched by key and time) rather than one trace. */
export const WINDOW_CLASSES: ReadonlySet<AnomalyClass> = new Set(["regression", "error_rate", "fast_failure", "traffic_drop", "traffic_surge", "price_change"]);

/** After a window episode ends, anomalies still count as its detection for this long. */
export const WINDOW_GRACE_MS = 10 * 60_000;

export interface ClassTarget {
  /** Share of episodes detected (at all, or within the limits below when given). */
  recall?: number;
  withinCalls?: number;
  withinSeconds?: number;
  /** Anomaly rows of the class's detectors per episode, at most (storm check). */
  maxRowsPerEpisode?: number;
  /** Where the target comes from. */
  note: string;
}

/** Targets by "class" or "class size" (the more specific wins). Absent: measured, no target. */
export const TARGETS: Record<string, ClassTarget> = {
  "spike 5×": { recall: 0.9, note: "issue 16: recall ≥ 0.9 for point spikes ≥ 5×" },
  "spike 10×": { recall: 0.9, note: "issue 16: recall ≥ 0.9 for point spikes ≥ 5×" },
  "regression 2×": { recall: 0.9, withinCalls: 200, maxRowsPerEpisode: 2, note: "issue 16: sustained 2× detected within 200 calls, one alert (≤ 2 rows: onset, recovery)" },
  "regression 3×": { recall: 0.9, withinCalls: 200, maxRowsPerEpisode: 2, note: "issue 16: sustained 2×/3× regressions within 200 calls, not a storm" },
  "error_rate → 5 %": { recall: 0.9, withinCalls: 500, maxRowsPerEpisode: 2, note: "issue 16: error 1 % → 5 % detected within 500 calls" },
  "traffic_drop to 0": { recall: 0.9, withinSeconds: 120, note: "issue 16: outages within 2 minutes" },
  novel_tool: { recall: 0.9, note: "issue 16: recall ≥ 0.9 for every structural class" },
  loop: { recall: 0.9, note: "issue 16: recall ≥ 0.9 for every structural class" },
  chain_length: { recall: 0.9, note: "issue 16: recall ≥ 0.9 for every structural class" },
};

export function targetFor(cls: AnomalyClass, size: string): ClassTarget | null {
  return TARGETS[`${cls} ${size}`] ?? TARGETS[cls] ?? null;
}

/** Clean traffic: false alerts per 10,000 traces (or calls), at most. */
export const CLEAN_TARGET_PER_10K = 1;
/** Overall F1 over every injected episode of a generator. */
export const OVERALL_F1_TARGET = 0.9;
