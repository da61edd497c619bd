// What the agents page draws over a step's distribution: the detector's usual value and its alert
// threshold, recovered from the stored baseline (lib/detect/models/baseline.ts) on the metric's scale.
import { DEFAULT_BASELINE_PARAMS, type Baseline } from "../detect/models/baseline";
import { zQuantile } from "../detect/models/surprise";

export const STEP_METRICS = {
  latency: { stateKey: "latency", column: '"durationMs"', detector: "latency", back: (y: number) => Math.max(0, Math.expm1(y)) },
  inputTokens: { stateKey: "inputTokens", column: 'COALESCE("inputTokens", 0)', detector: "tokens", back: (y: number) => Math.max(0, Math.expm1(y)) },
  outputTokens: { stateKey: "outputTokens", column: 'COALESCE("outputTokens", 0)', detector: "tokens", back: (y: number) => Math.max(0, Math.expm1(y)) },
  cost: { stateKey: "cost", column: 'COALESCE("costUsd", 0)', detector: "cost", back: (y: number) => Math.max(0, Math.expm1(y) / 1e6) },
} as const;
export type StepMetric = keyof typeof STEP_METRICS;

export interface BaselineLines {
  /** Observations the baseline learned. */
  n: number;
  usual: number;
  /** Value at which a span of this step alerts (ignoring seasonal and regressor adjustments). */
  threshold: number;
}

export function baselineLines(state: unknown, metric: StepMetric, alertBits: number): BaselineLines | null {
  const b = (state as Record<string, unknown> | null)?.[STEP_METRICS[metric].stateKey] as Baseline | undefined;
  if (!b || typeof b.my !== "number" || typeof b.pe !== "number" || !(b.n > 0)) return null;
  const minSigma = DEFAULT_BASELINE_PARAMS.minSigma;
  const sigma = Math.sqrt((b.pe + minSigma * minSigma) * (1 + 1 / Math.max(1, b.n)));
  const z = zQuantile(1 - 2 ** -alertBits);
  const back = STEP_METRICS[metric].back;
  return { n: b.n, usual: back(b.my), threshold: back(b.my + z * sigma) };
}
