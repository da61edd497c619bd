import { describe, expect, it } from "vitest";
import { resolvedAgent } from "./span-agents";
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
