import { describe, expect, it } from "vitest";
import { emptyMarkov, learnTransitions, pathBitsPerStep, transitionsOf, worstNovelty } from "./markov";

function trainedOn(paths: string[][], times: number) {
  const m = emptyMarkov();
  for (let i = 0; i < times; i++) for (const p of paths) learnTransitions(m, transitionsOf(p), new Set(), 20);
  return m;
}

describe("markov", () => {
  const m = trainedOn([["plan", "search", "answer"], ["plan", "answer"]], 200);

  it.each([
    { name: "a known path has no novelty", path: ["plan", "search", "answer"], novel: false },
    { name: "a never-seen transition from a well-known state is novel", path: ["plan", "delete_records", "answer"], novel: true },
    { name: "a transition into the end from a known state is judged too", path: ["plan", "search"], novel: true },
  ])("$name", ({ path, novel }) => {
    const n = worstNovelty(m, transitionsOf(path), 50);
    expect(n !== null).toBe(novel);
    if (n) expect(n.bits).toBeGreaterThan(8);
  });

  it("states with many rare successors make novelty less surprising (Good-Turing)", () => {
    const rare = trainedOn([["plan", "answer"]], 400);
    for (let i = 0; i < 40; i++) learnTransitions(rare, transitionsOf(["plan", `tool${i}`, "answer"]), new Set(), 20);
    const tail = worstNovelty(rare, transitionsOf(["plan", "new_tool", "answer"]), 50)!;
    const clean = worstNovelty(m, transitionsOf(["plan", "new_tool", "answer"]), 50)!;
    expect(tail.bits).toBeLessThan(clean.bits - 3);
  });

  it("does not judge states with too little history", () => {
    expect(worstNovelty(trainedOn([["a", "b"]], 10), transitionsOf(["a", "c"]), 50)).toBeNull();
  });

  it("an improbable path costs more bits per step than a usual one", () => {
    const skewed = trainedOn([["plan", "search", "answer"], ["plan", "search", "answer"], ["plan", "search", "answer"], ["plan", "answer"]], 100);
    expect(pathBitsPerStep(skewed, transitionsOf(["plan", "answer"]))).toBeGreaterThan(pathBitsPerStep(skewed, transitionsOf(["plan", "search", "answer"])));
  });

  it("quarantines alerted novel transitions until they persist", () => {
    const q = trainedOn([["a", "b"]], 100);
    const trs = transitionsOf(["a", "x"]);
    const alerted = new Set(["a\u2192x"]);
    for (let i = 0; i < 3; i++) learnTransitions(q, trs, alerted, 5);
    expect(worstNovelty(q, trs, 50)).not.toBeNull();
    for (let i = 0; i < 2; i++) learnTransitions(q, trs, alerted, 5);
    expect(worstNovelty(q, trs, 50)).toBeNull();
  });
});
