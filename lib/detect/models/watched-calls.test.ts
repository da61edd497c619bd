import { describe, expect, it } from "vitest";
import { emptyWatchedCalls, learnCall, watchedOffset, watchedScale, type MomentRates } from "./watched-calls";

const plainMean: MomentRates = (n) => ({ level: 1 / (n + 1), spread: 1 / (n + 1) });

/** Runs of `calls` calls with deviations from `deviation(k, r)`; only each run's first call is watched. */
function learnRuns(runs: number, calls: number, deviation: (k: number, r: number) => number) {
  const w = emptyWatchedCalls();
  for (let r = 0; r < runs; r++) for (let k = 0; k < calls; k++) learnCall(w, { deviation: deviation(k, r), atMs: r * 1000 + k, watched: k === 0 }, plainMean);
  return w;
}

describe("watched calls against all calls", () => {
  const alternating = (r: number) => (r % 2 === 0 ? 1 : -1);
  it.each([
    { name: "a step called once per run: nothing to correct", calls: 1, deviation: (_k: number, r: number) => 0.3 * alternating(r), offset: 0, scale: 1 },
    { name: "first calls 0.5 above the others", calls: 5, deviation: (k: number, r: number) => (k === 0 ? 0.5 : 0) + 0.1 * alternating(r + k), offset: 0.4, scale: 0.1 / 0.16 },
    { name: "first calls as the others but three times as variable", calls: 5, deviation: (k: number, r: number) => (k === 0 ? 0.3 : 0.1) * alternating(r + k), offset: 0, scale: 0.3 / 0.14 },
  ])("$name", ({ calls, deviation, offset, scale }) => {
    const w = learnRuns(2000, calls, deviation);
    expect(watchedOffset(w)).toBeCloseTo(offset, 2);
    expect(watchedScale(w)).toBeCloseTo(scale, 1);
  });

  it("knows nothing before the first watched call", () => {
    expect(watchedOffset(emptyWatchedCalls())).toBe(0);
    expect(watchedScale(emptyWatchedCalls())).toBe(1);
  });
});
