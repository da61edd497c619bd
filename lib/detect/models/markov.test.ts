import { describe, expect, it } from "vitest";
import { emptyMarkov, learnTransitions, pathBitsPerStep, transitionsOf, worstNovelty } from "./markov";
import { emptyPool } from "./novelty";

function trainedOn(paths: string[][], times: number, pool = emptyPool()) {
  const m = emptyMarkov();
  for (let i = 0; i < times; i++) for (const p of paths) learnTransitions(m, pool, transitionsOf(p));
  return { m, pool };
}

describe("markov", () => {
  const { m, pool } = trainedOn([["plan", "search", "answer"], ["plan", "answer"]], 200);

  it.each([
    { name: "a known path has no novelty", path: ["plan", "search", "answer"], novel: false },
    { name: "a never-seen transition from a well-known state is novel", path: ["plan", "delete_records", "answer"], novel: true },
    { name: "a transition into the end from a known state is judged too", path: ["plan", "search"], novel: true },
    { name: "a run still going is not judged on its missing end", path: ["plan", "search"], novel: false, running: true },
  ])("$name", ({ path, novel, running }) => {
    const n = worstNovelty(m, pool, transitionsOf(path, !running), 50);
    expect(n !== null).toBe(novel);
    if (n) expect(n.bits).toBeGreaterThan(8);
  });

  it("states with many rare successors make novelty less surprising (Good-Turing)", () => {
    const rare = trainedOn([["plan", "answer"]], 400);
    for (let i = 0; i < 40; i++) learnTransitions(rare.m, rare.pool, transitionsOf(["plan", `tool${i}`, "answer"]));
    const tail = worstNovelty(rare.m, rare.pool, transitionsOf(["plan", "new_tool", "answer"]), 50)!;
    const clean = worstNovelty(m, pool, transitionsOf(["plan", "new_tool", "answer"]), 50)!;
    expect(tail.bits).toBeLessThan(clean.bits - 3);
  });

  it("well-established states share what the project has seen: never any novelty there is strong evidence", () => {
    // Three agents' worth of mature visits without novelty (the pool), against one state's own history.
    const shared = emptyPool();
    trainedOn([["plan", "search", "answer"]], 3000, shared);
    const own = trainedOn([["plan", "search", "answer"]], 400).m;
    const withPool = worstNovelty(own, shared, transitionsOf(["plan", "shell_exec", "answer"]), 50)!;
    const alone = worstNovelty(own, emptyPool(), transitionsOf(["plan", "shell_exec", "answer"]), 50)!;
    expect(withPool.bits).toBeGreaterThan(alone.bits + 2);
  });

  it("every run is learned: a new transition seen once is no longer never-seen", () => {
    const { m: once, pool: p } = trainedOn([["a", "b"]], 100);
    learnTransitions(once, p, transitionsOf(["a", "x"]));
    expect(worstNovelty(once, p, transitionsOf(["a", "x"]), 50)).toBeNull();
  });

  it("does not judge states with too little history", () => {
    const few = trainedOn([["a", "b"]], 10);
    expect(worstNovelty(few.m, few.pool, transitionsOf(["a", "c"]), 50)).toBeNull();
  });

  it("an improbable path costs more bits per step than a usual one", () => {
    const skewed = trainedOn([["plan", "search", "answer"], ["plan", "search", "answer"], ["plan", "search", "answer"], ["plan", "answer"]], 100).m;
    expect(pathBitsPerStep(skewed, transitionsOf(["plan", "answer"]))).toBeGreaterThan(pathBitsPerStep(skewed, transitionsOf(["plan", "search", "answer"])));
  });
});
