import { describe, expect, it } from "vitest";
import { END, START, buildDecisionChain, countTransitions, surprisingTransitions, type ChainSpan } from "./decision-chain";

const span = (spanId: string, step: string, kind: string, startMs: number, argsHash: string | null = null): ChainSpan => ({ spanId, name: step, step, kind, startMs, argsHash });

describe("buildDecisionChain", () => {
  it("orders decision spans by start and skips containers that are not decisions", () => {
    const chain = buildDecisionChain([span("b", "search", "tool", 20), span("a", "plan", "llm", 10), span("c", "root", "chain", 0)]);
    expect(chain.map((s) => s.step)).toEqual(["plan", "search"]);
  });
  it("marks the same tool with the same arguments as a loop", () => {
    const chain = buildDecisionChain([span("a", "search", "tool", 1, "h1"), span("b", "search", "tool", 2, "h1"), span("c", "search", "tool", 3, "h2")]);
    expect(chain.map((s) => s.loop)).toEqual([false, true, false]);
  });
  it("without argument hashes, a third repeat is a loop", () => {
    const chain = buildDecisionChain([span("a", "think", "llm", 1), span("b", "think", "llm", 2), span("c", "think", "llm", 3)]);
    expect(chain.map((s) => s.loop)).toEqual([false, false, true]);
  });
});

describe("countTransitions", () => {
  const table = countTransitions([["plan", "search", "answer"], ["plan", "search", "answer"], ["plan", "answer"]]);
  it("counts start and end transitions", () => {
    expect(table.find((t) => t.from === START && t.to === "plan")).toMatchObject({ count: 3, probability: 1 });
    expect(table.find((t) => t.from === "answer" && t.to === END)).toMatchObject({ count: 3 });
  });
  it("gives probabilities per source state", () => {
    expect(table.find((t) => t.from === "plan" && t.to === "search")?.probability).toBeCloseTo(2 / 3);
  });
  it("flags unseen or rare transitions as surprising", () => {
    expect(surprisingTransitions(["plan", "search", "delete_db"], table)).toEqual([false, false, true]);
  });
});
