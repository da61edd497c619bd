import { describe, expect, it } from "vitest";
import { resolvedAgent, usualAgentOf } from "./span-agents";
import type { SpanRecord } from "./types";

const span = (spanId: string, parentSpanId: string | null, agent: string | null = null) => ({ spanId, parentSpanId, agent }) as SpanRecord;

describe("resolvedAgent", () => {
  const agentSpan = span("a", "root", "support");
  const tool = span("t", "a");
  const nested = span("n", "t");
  it.each([
    { name: "its own agent", s: span("x", "a", "researcher"), known: [], agent: "researcher" },
    { name: "the parent's agent", s: tool, known: [agentSpan], agent: "support" },
    { name: "an ancestor's agent, two levels up", s: nested, known: [tool, agentSpan], agent: "support" },
    { name: "a root without agent has none", s: span("r", null), known: [], agent: null },
    { name: "an ancestor chain ending at a root without agent has none", s: tool, known: [span("a", null)], agent: null },
    { name: "a missing parent: not yet known", s: tool, known: [], agent: undefined },
    { name: "a missing grandparent: not yet known", s: nested, known: [tool], agent: undefined },
  ])("$name", ({ s, known, agent }) => {
    expect(resolvedAgent(s, new Map(known.map((k) => [k.spanId, k])))).toBe(agent);
  });
});

describe("usualAgentOf", () => {
  const entity = { service: "svc", step: "chat gpt-4o", family: "gpt-4o" };
  const cases: Array<[string, Array<[string, number]>, string | null]> = [
    ["the one agent the step is learned under", [["svc/coder/chat gpt-4o/gpt-4o", 500], ["svc/coder/shell/-", 80], ["svc/-/chat gpt-4o/gpt-4o", 40]], "coder"],
    ["none with enough history", [["svc/coder/chat gpt-4o/gpt-4o", 19]], null],
    ["several agents share the step", [["svc/coder/chat gpt-4o/gpt-4o", 500], ["svc/reviewer/chat gpt-4o/gpt-4o", 300]], null],
    ["another service's agent", [["other/coder/chat gpt-4o/gpt-4o", 500]], null],
    ["another model family", [["svc/coder/chat gpt-4o/gpt-4o-mini", 500]], null],
  ];
  it.each(cases)("%s", (_name, entities, expected) => {
    expect(usualAgentOf(entity, entities)).toBe(expected);
  });
});
