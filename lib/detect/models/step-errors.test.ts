import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { emptyStepErrors, ERROR_ALTERNATIVES, observeStep, type StepErrorParams } from "./step-errors";

// Threshold as budget.ts sets it for a 10-span trace at 1 false alert per 10,000 traces.
const BITS = Math.log2((ERROR_ALTERNATIVES * 10) / 1e-5);
const P: StepErrorParams = { halfLifeMs: 86_400_000, minHalfLifeCalls: 2000, alertBits: BITS, minHistory: 50 };

function warmed(errorRate: number, n: number, seed = 1) {
  const rng = createRng(seed);
  const s = emptyStepErrors();
  let alarms = 0;
  for (let i = 0; i < n; i++) if (observeStep(s, rng.chance(errorRate), i * 1000, P).alarm) alarms++;
  return { s, alarms, rng, t: n * 1000 };
}

describe("step error CUSUM bank", () => {
  it.each([
    { name: "2% background errors never alarm in 200k calls", rate: 0.02 },
    { name: "10% background errors never alarm in 200k calls", rate: 0.1 },
    { name: "0.1% background errors never alarm in 200k calls", rate: 0.001 },
  ])("$name", ({ rate }) => {
    expect(warmed(rate, 200_000).alarms).toBe(0);
  });

  it.each([
    { name: "from 1% to 5% errors alarms within 500 calls", before: 0.01, after: 0.05, within: 500 },
    { name: "from 1% to 20% errors alarms within 100 calls", before: 0.01, after: 0.2, within: 100 },
    { name: "from 1% to 60% errors alarms within 12 calls", before: 0.01, after: 0.6, within: 12 },
    { name: "from 0.1% to 100% errors alarms within 5 calls", before: 0.001, after: 1, within: 5 },
    { name: "from 5% to 50% errors alarms within 25 calls", before: 0.05, after: 0.5, within: 25 },
  ])("$name (median of 21 seeds)", ({ before, after, within }) => {
    const delays: number[] = [];
    for (let seed = 1; seed <= 21; seed++) {
      const { s, rng, t } = warmed(before, 5000, seed);
      s.cusums.fill(0);
      let at = -1;
      for (let i = 0; i < 5 * within && at < 0; i++) if (observeStep(s, rng.chance(after), t + i * 1000, P).alarm) at = i + 1;
      delays.push(at < 0 ? Infinity : at);
    }
    delays.sort((a, b) => a - b);
    expect(delays[10]).toBeLessThanOrEqual(within);
  });

  it("does not alarm during cold start", () => {
    const s = emptyStepErrors();
    for (let i = 0; i < 40; i++) expect(observeStep(s, true, i, P).alarm).toBe(false);
  });
});
