import { describe, expect, it } from "vitest";
import { countAtLeast, emptyPool, noveltyProbability, repetitionTail } from "./novelty";

describe("noveltyProbability", () => {
  it.each([
    { name: "Good-Turing on the thing's own history", r: { observations: 999, singletons: 9 }, pooled: [0, 0], established: 200, p: 9.5 / 1000 },
    { name: "established behaviour uses the project's rate when it is lower", r: { observations: 999, singletons: 0 }, pooled: [99_999, 0], established: 200, p: 0.5 / 100_000 },
    { name: "... but never a higher one than its own", r: { observations: 999, singletons: 0 }, pooled: [99, 50], established: 200, p: 0.5 / 1000 },
    { name: "young behaviour is judged on its own history only", r: { observations: 99, singletons: 0 }, pooled: [99_999, 0], established: 200, p: 0.5 / 100 },
  ])("$name", ({ r, pooled, established, p }) => {
    expect(noveltyProbability(r, pooled[0]!, pooled[1]!, established)).toBeCloseTo(p, 9);
  });
});

describe("repetitionTail", () => {
  const table = (counts: Array<[number, number]>) => {
    const t: number[] = new Array(33).fill(0);
    for (const [k, runs] of counts) for (let i = 0; i < runs; i++) countAtLeast(t, k);
    return t;
  };
  const pool = emptyPool().sameCallAtLeast;
  it("an agent that never repeats a call: five identical calls are very rare", () => {
    expect(repetitionTail(table([[1, 2000]]), pool, 5)).toBeLessThan(1e-5);
  });
  it("an agent that polls 3-4 times in 1 % of runs: 4 is usual for it, 8 is still rare", () => {
    const polling = table([[1, 1980], [3, 10], [4, 10]]);
    expect(repetitionTail(polling, pool, 4)).toBeGreaterThan(1e-3);
    expect(repetitionTail(polling, pool, 8)).toBeLessThan(repetitionTail(polling, pool, 4) / 50);
  });
  it("is monotone in k", () => {
    const t = table([[1, 500], [2, 50], [3, 5]]);
    for (let k = 2; k < 10; k++) expect(repetitionTail(t, pool, k + 1)).toBeLessThanOrEqual(repetitionTail(t, pool, k));
  });
});
