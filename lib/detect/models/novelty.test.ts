import { describe, expect, it } from "vitest";
import { countAtLeast, emptyPool, noveltyProbability, repetitionTail } from "./novelty";

describe("noveltyProbability", () => {
  it.each([
    { name: "Good-Turing on the thing's own history", r: { observations: 999, singletons: 9 }, pooled: [0, 0], established: 200, p: 9.5 / 1000 },
    { name: "established behaviour uses the project's rate when it is lower", r: { observations: 999, singletons: 0 }, pooled: [99_999, 0], established: 200, p: 0.5 / 100_000 },
    { name: "... but never a higher one than its own", r: { observations: 999, singletons: 0 }, pooled: [99, 50], established: 200, p: 0.5 / 1000 },
    { name: "new things in fewer than 0.5 % of the project's established observations (foreign steps) stay rare", r: { observations: 999, singletons: 0 }, pooled: [99_999, 300], established: 200, p: 0.5 / 100_000 },
    { name: "... beyond that share, only the excess counts", r: { observations: 999, singletons: 0 }, pooled: [999_999, 5_010], established: 200, p: (5_010 - 0.005 * 999_999 + 0.5) / 1_000_000 },
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
  it("an agent that polls 3-4 times in 2 % of runs: 4 is usual for it, 8 is still rare", () => {
    const polling = table([[1, 1960], [3, 20], [4, 20]]);
    expect(repetitionTail(polling, pool, 4)).toBeGreaterThan(1e-3);
    expect(repetitionTail(polling, pool, 8)).toBeLessThan(repetitionTail(polling, pool, 4) / 50);
  });
  it("loops in 1 run of 1,000 (injected or broken) never teach that a 10-call loop is normal", () => {
    const agent = table([[1, 9_900], [2, 90], [10, 10]]);
    const project = table([[1, 49_900], [2, 50], [10, 50]]);
    expect(repetitionTail(agent, project, 10)).toBeLessThan(1e-6);
    // ... while a loop in 1 run of 100 is how this agent works.
    const common = table([[1, 9_800], [2, 100], [10, 100]]);
    expect(repetitionTail(common, project, 10)).toBeGreaterThan(1e-3);
  });
  it("an agent that polls as a habit (5 % of runs, 3 + geometric(0.12) polls up to 40) keeps long polls normal", () => {
    const rows: Array<[number, number]> = [[1, 9_500]];
    for (let k = 3; k <= 40; k++) rows.push([k, Math.round(500 * 0.12 * 0.88 ** (k - 3))]);
    const polling = table(rows);
    expect(repetitionTail(polling, polling, 40)).toBeGreaterThan(1e-5);
    // ... yet a loop in an agent that never repeats stays rare in a project where that agent has 1 run in 6.
    const clean = table([[1, 9_700], [2, 300], [10, 10]]);
    const project = polling.map((n, j) => n + 5 * (clean[j] ?? 0));
    expect(repetitionTail(clean, project, 10)).toBeLessThan(1e-6);
  });
  it("an agent that rarely repeats: a triple retry is not a loop in a busy project, a 6-call loop is", () => {
    const agent = table([[1, 4_995], [2, 4], [3, 1]]);
    const project = table([[1, 59_000], [2, 900], [3, 60], [4, 40]]);
    expect(repetitionTail(agent, project, 3)).toBeGreaterThan(2 ** -16);
    expect(repetitionTail(agent, project, 6)).toBeLessThan(2 ** -19);
  });
  it("is monotone in k", () => {
    const t = table([[1, 500], [2, 50], [3, 5]]);
    for (let k = 2; k < 10; k++) expect(repetitionTail(t, pool, k + 1)).toBeLessThanOrEqual(repetitionTail(t, pool, k));
  });
});
