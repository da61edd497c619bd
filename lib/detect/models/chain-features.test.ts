import { describe, expect, it } from "vitest";
import { agentRuns, canonicalOrder, longestCycle, type ChainSpan } from "./chain-features";

let seq = 0;
function span(step: string, opts: Partial<ChainSpan> = {}): ChainSpan {
  seq += 1;
  return { seq, spanId: `s${seq}`, parentSpanId: "root", service: "svc", agent: "a", kind: "tool", step, argsHash: null, startMs: seq * 100, endMs: seq * 100 + 50, ...opts };
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

describe("canonicalOrder", () => {
  it.each([
    { name: "sequential steps keep their time order", spans: [["b", 0, 10], ["a", 20, 30]], order: ["b", "a"] },
    { name: "parallel calls (overlapping) are ordered by step, whatever finished first", spans: [["search", 0, 50], ["fetch", 5, 40], ["calc", 8, 20]], order: ["calc", "fetch", "search"] },
    { name: "a parallel group between sequential steps", spans: [["plan", 0, 10], ["y", 20, 60], ["x", 21, 50], ["answer", 70, 80]], order: ["plan", "x", "y", "answer"] },
  ])("$name", ({ spans, order }) => {
    const list = spans.map(([step, start, end], i) => ({ seq: i, step: step as string, argsHash: null, startMs: start as number, endMs: end as number }));
    expect(canonicalOrder(list).map((s) => s.step)).toEqual(order);
  });
});

describe("agentRuns", () => {
  it("orders steps by start time and measures the run", () => {
    const root: ChainSpan = { ...span("support-agent", { kind: "agent", parentSpanId: null, startMs: 0, endMs: 100 }), spanId: "root" };
    const spans = [root, span("llm", { startMs: 30, endMs: 35 }), span("search", { startMs: 10, endMs: 15, argsHash: "h1" }), span("search", { startMs: 20, endMs: 25, argsHash: "h1" })];
    const [run] = agentRuns(spans);
    expect(run).toMatchObject({ agent: "a", steps: ["search", "search", "llm"], length: 3, fanout: 3, sameCall: { count: 2, step: "search" }, anchorSpanId: "root", instance: "a" });
  });

  it("a sub-agent invoked twice is two runs of its own and two steps of its parent", () => {
    const root: ChainSpan = { ...span("invoke_agent planner", { kind: "agent", agent: "planner", parentSpanId: null, startMs: 0, endMs: 1000 }), spanId: "root" };
    const sub1: ChainSpan = { ...span("invoke_agent researcher", { kind: "agent", agent: "researcher", startMs: 10, endMs: 300 }), spanId: "sub1" };
    const sub2: ChainSpan = { ...span("invoke_agent researcher", { kind: "agent", agent: "researcher", startMs: 400, endMs: 700 }), spanId: "sub2" };
    const spans = [root, sub1, sub2, span("search", { parentSpanId: "sub1", agent: "researcher", startMs: 20, endMs: 50 }), span("search", { parentSpanId: "sub2", agent: "researcher", startMs: 410, endMs: 450 }), span("answer", { agent: "planner", startMs: 800, endMs: 900 })];
    const runs = agentRuns(spans);
    expect(runs.map((r) => [r.instance, r.steps])).toEqual([
      ["planner", ["invoke_agent researcher", "invoke_agent researcher", "answer"]],
      ["researcher", ["search"]],
      ["researcher#2", ["search"]],
    ]);
  });

  it("an HTTP span inside a tool call is part of that call; directly under the agent it is a step", () => {
    const root: ChainSpan = { ...span("support-agent", { kind: "agent", parentSpanId: null, startMs: 0, endMs: 1000 }), spanId: "root" };
    const tool: ChainSpan = { ...span("track_shipment", { startMs: 10, endMs: 100 }), spanId: "tool" };
    const spans = [root, tool, span("POST", { kind: "other", parentSpanId: "tool", startMs: 20, endMs: 90 }), span("GET", { kind: "other", startMs: 200, endMs: 250 })];
    expect(agentRuns(spans)[0]!.steps).toEqual(["track_shipment", "GET"]);
  });

  it("spans without an agent ancestor form one run per agent name, '-' for none", () => {
    const runs = agentRuns([span("x", { agent: "b", parentSpanId: null }), span("y", { agent: null, parentSpanId: null })]);
    expect(runs.map((r) => r.agent)).toEqual(["-", "b"]);
  });
});
