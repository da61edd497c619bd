import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_PARAMS as P, emptyRateState, observeRate, type RateSignal } from "./rates";
import { createRng } from "./rng";

/** Simulates traces (5 spans each) at `perSecond(t)` for `seconds`, returns signals with their time. */
function simulate(seconds: number, perSecond: (t: number) => number, errorRate: (t: number) => number, cost: (t: number) => number, seed = 11) {
  const rng = createRng(seed);
  const s = emptyRateState();
  const out: Array<RateSignal & { at: number }> = [];
  const t0 = 1_700_000_000_000;
  for (let sec = 0; sec < seconds; sec++) {
    const n = rng.poisson(perSecond(sec));
    for (let i = 0; i < n; i++) {
      const endMs = t0 + sec * 1000 + Math.floor(rng.next() * 1000);
      for (let k = 0; k < 5; k++) {
        const sig = observeRate(s, { endMs, traceId: `t${sec}-${i}`, isRoot: k === 4, isError: rng.chance(errorRate(sec)), cost: k === 2 ? cost(sec) * Math.exp(0.5 * rng.normal()) : 0 }, P);
        out.push(...sig.map((x) => ({ ...x, at: sec })));
      }
    }
  }
  return out;
}

const day = 6 * 3600;
const daily = (base: number) => (t: number) => base * (1 + 0.6 * Math.sin((2 * Math.PI * t) / day));

describe("rate CUSUMs", () => {
  it("clean traffic with a daily pattern raises nothing over 6 hours", () => {
    expect(simulate(day, daily(0.5), () => 0.02, () => 0.01)).toEqual([]);
  });
  it.each([
    { name: "traffic surge x5", detector: "volume", rate: (t: number) => (t >= 7200 ? 2.5 : 0.5), err: () => 0.02, cost: () => 0.01 },
    { name: "error burst to 40%", detector: "error_rate", rate: () => 0.5, err: (t: number) => (t >= 7200 ? 0.4 : 0.02), cost: () => 0.01 },
    { name: "cost x10 per call", detector: "cost_rate", rate: () => 0.5, err: () => 0.02, cost: (t: number) => (t >= 7200 ? 0.1 : 0.01) },
  ])("$name is caught within a minute of its start", ({ detector, rate, err, cost }) => {
    const signals = simulate(7200 + 300, rate, err, cost);
    const first = signals.find((s) => s.detector === detector);
    expect(signals.filter((s) => s.at < 7200)).toEqual([]);
    expect(first?.at).toBeGreaterThanOrEqual(7200);
    expect(first!.at).toBeLessThan(7200 + 60);
  });
});
