import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { emptyStepErrors, observeStep, type StepErrorParams } from "./step-errors";

const P: StepErrorParams = { halfLife: 2000, alertBits: 20, minHistory: 50 };

function warmed(errorRate: number, n: number, seed = 1) {
  const rng = createRng(seed);
  const s = emptyStepErrors();
  let alarms = 0;
  for (let i = 0; i < n; i++) if (observeStep(s, rng.chance(errorRate), P).alarm) alarms++;
  return { s, alarms, rng };
}

describe("step error CUSUM", () => {
  it.each([
    { name: "2% background errors never alarm in 100k calls", rate: 0.02 },
    { name: "10% background errors never alarm in 100k calls", rate: 0.1 },
    { name: "0.1% background errors never alarm in 100k calls", rate: 0.001 },
  ])("$name", ({ rate }) => {
    expect(warmed(rate, 100_000).alarms).toBe(0);
  });

  it.each([
    { name: "from 1% to 60% errors alarms within 12 calls", before: 0.01, after: 0.6, within: 12 },
    { name: "from 0.1% to 100% errors alarms within 5 calls", before: 0.001, after: 1, within: 5 },
    { name: "from 5% to 50% errors alarms within 25 calls", before: 0.05, after: 0.5, within: 25 },
  ])("$name", ({ before, after, within }) => {
    const { s, rng } = warmed(before, 5000, 3);
    s.s = 0;
    let at = -1;
    for (let i = 0; i < 200 && at < 0; i++) if (observeStep(s, rng.chance(after), P).alarm) at = i + 1;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(within);
  });

  it("does not alarm during cold start", () => {
    const s = emptyStepErrors();
    for (let i = 0; i < 40; i++) expect(observeStep(s, true, P).alarm).toBe(false);
  });
});
