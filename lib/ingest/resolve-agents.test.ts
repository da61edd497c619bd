import { describe, expect, it } from "vitest";
import { resolveAgents, type StoredSpan } from "./resolve-agents";
import type { SpanRow } from "./span-row";

const T = "t".repeat(32);
function row(spanId: string, parentSpanId: string | null, ownAgent: string | null = null): SpanRow {
  return { traceId: T, spanId, parentSpanId, ownAgent, agent: ownAgent } as SpanRow;
}
const stored = (spanId: string, parentSpanId: string | null, agent: string | null): StoredSpan => ({ traceId: T, spanId, parentSpanId, agent });

describe("resolveAgents", () => {
  it("inherits from the nearest agent ancestor in the batch, in any order", () => {
    const rows = [row("c", "b"), row("b", "a"), row("a", null, "boss"), row("n", "a", "helper"), row("m", "n")];
    expect(resolveAgents(rows, [])).toEqual([]);
    expect(rows.map((r) => r.agent)).toEqual(["boss", "boss", "boss", "helper", "helper"]);
  });

  it("inherits from a stored parent", () => {
    const rows = [row("c", "p")];
    resolveAgents(rows, [stored("p", null, "planner")]);
    expect(rows[0]!.agent).toBe("planner");
  });

  it("gives stored orphans the agent of a late ancestor, stopping at nested agents", () => {
    const updates = resolveAgents([row("root", null, "boss")], [
      stored("child", "root", null), stored("grandchild", "child", null), stored("nested", "child", "helper"), stored("deep", "nested", "helper"),
      stored("elsewhere", "unknown", null),
    ]);
    expect(updates).toEqual([
      { traceId: T, spanId: "child", agent: "boss" },
      { traceId: T, spanId: "grandchild", agent: "boss" },
    ]);
  });

  it("leaves spans without any agent ancestor null", () => {
    const rows = [row("x", "missing"), row("y", null)];
    resolveAgents(rows, []);
    expect(rows.map((r) => r.agent)).toEqual([null, null]);
  });

  it("survives parent cycles (a malformed batch)", () => {
    const rows = [row("a", "b"), row("b", "a"), row("self", "self")];
    expect(resolveAgents(rows, [])).toEqual([]);
    expect(rows.every((r) => r.agent === null)).toBe(true);
  });

  it("handles a 50,000-deep chain without recursion", () => {
    const rows = [row("s0", null, "root-agent")];
    for (let i = 1; i < 50_000; i++) rows.push(row(`s${i}`, `s${i - 1}`));
    resolveAgents(rows.reverse(), []);
    expect(rows.every((r) => r.agent === "root-agent")).toBe(true);
  });
});
