// What the agents page draws over a step's distribution: the detector's usual value and its alert
// threshold for a spike, recovered from the stored baseline (lib/detect/models/baseline.ts) on the
// metric's scale. The threshold is the value whose learned tail probability reaches the point-test
// threshold of a typical trace (seasonal and regressor adjustments aside).
import { DEFAULT_TESTS_PER_TRACE, pointThresholdBits } from "../detect/budget";
import { quantileAround, usualLevel } from "../detect/models/baseline";
import type { DetectionSettings } from "../detect/settings";
import { parseSpanKeyState, type SpanKeyState } from "../detect/state";

export const STEP_METRICS = {
  latency: { stateKey: "latency", column: '"durationMs"', detector: "latency", back: (y: number) => Math.max(0, Math.expm1(y)) },
  inputTokens: { stateKey: "inputTokens", column: 'COALESCE("inputTokens", 0)', detector: "tokens", back: (y: number) => Math.max(0, Math.expm1(y)) },
  outputTokens: { stateKey: "outputTokens", column: 'COALESCE("outputTokens", 0)', detector: "tokens", back: (y: number) => Math.max(0, Math.expm1(y)) },
  cost: { stateKey: "cost", column: 'COALESCE("costUsd", 0)', detector: "cost", back: (y: number) => Math.max(0, Math.expm1(y) / 1e6) },
} as const satisfies Record<string, { stateKey: keyof SpanKeyState; column: string; detector: string; back: (y: number) => number }>;
export type StepMetric = keyof typeof STEP_METRICS;

export interface BaselineLines {
  /** Observations the baseline learned. */
  n: number;
  usual: number;
  /** Value at which a span of this step alerts as a spike. */
  threshold: number;
}

/** The point-test threshold (bits) of a typical trace's first test. */
export function typicalAlertBits(settings: DetectionSettings): number {
  return pointThresholdBits(settings, DEFAULT_TESTS_PER_TRACE, 1);
}

export function baselineLines(state: unknown, metric: StepMetric, alertBits: number): BaselineLines | null {
  const s = state === null || state === undefined ? null : parseSpanKeyState(state);
  const b = s?.[STEP_METRICS[metric].stateKey];
  if (!b || !(b.n > 0)) return null;
  const mean = usualLevel(b, undefined, b.lastMs);
  const spread = Math.max(b.spread, 1e-6);
  const back = STEP_METRICS[metric].back;
  return { n: b.n, usual: back(mean), threshold: back(quantileAround(b, { mean, spread }, 1 - 2 ** -alertBits)) };
}
