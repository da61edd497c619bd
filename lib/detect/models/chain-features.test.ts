import { describe, expect, it } from "vitest";
import { agentRuns, longestCycle, type ChainSpan } from "./chain-features";

let seq = 0;
function span(step: string, opts: Partial<ChainSpan> = {}): ChainSpan {
  seq += 1;
  return { seq, spanId: `s${seq}`, parentSpanId: "root", service: "svc", agent: "a", kind: "tool", step, argsHash: null, startMs: seq, ...opts };
}

describe("longestCycle", () => {
  it.each([
    { name: "no repetition", tokens: ["a", "b", "c", "d"], repeats: 0 },
    { name: "a b a b a b is a 2-cycle repeated 3 times", tokens: ["x", "a", "b", "a", "b", "a", "b", "y"], repeats: 3 },
    { name: "a b c a b c is a 3-cycle repeated twice", tokens: ["a", "b", "c", "a", "b", "c"], repeats: 2 },
    { name: "the same token repeated is not a cycle", tokens: ["a", "a", "a", "a", "a"], repeats: 0 },
  ])("$name", ({ tokens, repeats }) => {
    expect(longestCycle(tokens, tokens).repeats).toBe(repeats);
  });
  it("reports the steps of the cycle", () => {
    expect(longestCycle(["x", "p", "q", "p", "q", "p", "q"], ["x", "p", "q", "p", "q", "p", "q"]).steps).toEqual(["p", "q"]);
  });
});

describe("agentRuns", () => {
  it("orders steps by start time and measures the run", () => {
    const root: ChainSpan = { ...span("support-agent", { kind: "agent", parentSpanId: null }), spanId: "root" };
    const spans = [root, span("llm", { startMs: 30 }), span("search", { startMs: 10, argsHash: "h1" }), span("search", { startMs: 20, argsHash: "h1" })];
    const [run] = agentRuns(spans);
    expect(run).toMatchObject({ agent: "a", steps: ["search", "search", "llm"], length: 3, fanout: 3, sameCall: { count: 2, step: "search" }, anchorSpanId: "root" });
  });
  it("splits runs per agent and names spans outside agents '-'", () => {
    const runs = agentRuns([span("x", { agent: "b" }), span("y", { agent: null })]);
    expect(runs.map((r) => r.agent)).toEqual(["-", "b"]);
  });
});
