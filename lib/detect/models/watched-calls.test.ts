import { describe, expect, it } from "vitest";
import { emptyWatchedCalls, learnCall, watchedOffset, type MomentRate } from "./watched-calls";

const plainMean: MomentRate = (n) => 1 / (n + 1);

/** Runs of `calls` calls with deviations from `deviation(k, r)`; only each run's first call is watched. */
function learnRuns(runs: number, calls: number, deviation: (k: number, r: number) => number) {
  const w = emptyWatchedCalls();
  for (let r = 0; r < runs; r++) for (let k = 0; k < calls; k++) learnCall(w, { deviation: deviation(k, r), atMs: r * 1000 + k, watched: k === 0 }, plainMean);
  return w;
}

describe("watched calls against all calls", () => {
  const alternating = (r: number) => (r % 2 === 0 ? 1 : -1);
  it.each([
    { name: "a step called once per run: nothing to correct", calls: 1, deviation: (_k: number, r: number) => 0.3 * alternating(r) + 0.2, offset: 0 },
    { name: "first calls 0.5 above the others", calls: 5, deviation: (k: number, r: number) => (k === 0 ? 0.5 : 0) + 0.1 * alternating(r + k), offset: 0.4 },
    { name: "first calls 0.5 below the others", calls: 5, deviation: (k: number, r: number) => (k === 0 ? -0.5 : 0) + 0.1 * alternating(r + k), offset: -0.4 },
  ])("$name", ({ calls, deviation, offset }) => {
    expect(watchedOffset(learnRuns(2000, calls, deviation))).toBeCloseTo(offset, 2);
  });

  it("knows nothing before the first watched call", () => {
    expect(watchedOffset(emptyWatchedCalls())).toBe(0);
  });
});
