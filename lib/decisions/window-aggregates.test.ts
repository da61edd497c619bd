import { describe, expect, it } from "vitest";
import type { CompiledRule } from "../policies/compile-policy";
import { loadPolicy } from "../policies/load-policy";
import { normalizeAction } from "../policies/policy-action";
import type { PolicyAction } from "../policies/policy-schema";
import { aggregateLockKeys, aggregateOver, aggregateQuery, type PriorDecision } from "./window-aggregates";

const loaded = loadPolicy(`
name: windows
rules:
  - { id: refunds-today, match: { tool: issue_refund }, condition: 'count("agent", "1d") > 3', outcome: review }
  - { id: customer-total, match: { tool: "refund_*" }, condition: 'sum("args.amount", "user", "1h") > 500.0', outcome: review }
  - { id: anything, condition: 'count("user", "15m") > 100', outcome: flag }
`);
if (!loaded.ok) throw new Error(loaded.problems[0]!.message);
const policy = loaded.value.policy;
const rule = (id: string): CompiledRule => policy.rules.find((r) => r.id === id)!;
const NOW = new Date("2026-03-02T10:00:00Z");
const act = (a: PolicyAction) => normalizeAction(a, policy.declarations);
const row = (over: Partial<PriorDecision>): PriorDecision => ({ agent: "a", tool: "issue_refund", user: "u1", service: null, model: null, args: "{}", ...over });

describe("aggregateQuery", () => {
  const cases = [
    { name: "count per agent over a day, narrowed to the exact tool", rule: "refunds-today", action: { agent: "a", tool: "issue_refund" },
      query: { by: "agent", value: "a", since: new Date("2026-03-01T10:00:00Z"), tools: ["issue_refund"] } },
    { name: "sum per user over an hour; a glob tool is not narrowed", rule: "customer-total", action: { agent: "a", tool: "refund_card", user: "u1" },
      query: { by: "user", value: "u1", since: new Date("2026-03-02T09:00:00Z") } },
    { name: "no user: nothing to group by", rule: "customer-total", action: { agent: "a", tool: "refund_card" }, query: null },
    { name: "a rule without tool patterns reads every tool", rule: "anything", action: { agent: "a", tool: "x", user: "u2" },
      query: { by: "user", value: "u2", since: new Date("2026-03-02T09:45:00Z") } },
  ];
  it.each(cases)("$name", ({ rule: id, action, query }) => {
    expect(aggregateQuery({ rule: rule(id), spec: rule(id).aggregates[0]!, action: act(action), now: NOW })).toEqual(query);
  });
});

describe("aggregateOver", () => {
  const cases = [
    { name: "counts the rows the rule matches", rule: "refunds-today", rows: [row({}), row({}), row({ tool: "lookup" })], value: 2 },
    { name: "no rows: 0", rule: "refunds-today", rows: [], value: 0 },
    { name: "sums a numeric argument over glob-matched tools", rule: "customer-total",
      rows: [row({ tool: "refund_card", args: '{"amount":200}' }), row({ tool: "refund_wire", args: '{"amount":150.5}' }), row({ tool: "issue_refund", args: '{"amount":999}' })], value: 350.5 },
    { name: "non-numbers, missing fields and broken JSON add 0", rule: "customer-total",
      rows: [row({ tool: "refund_card", args: '{"amount":"200"}' }), row({ tool: "refund_card", args: "{}" }), row({ tool: "refund_card", args: "not json" }), row({ tool: "refund_card", args: '{"amount":5}' })], value: 5 },
  ];
  it.each(cases)("$name", ({ rule: id, rows, value }) => {
    expect(aggregateOver({ rule: rule(id), spec: rule(id).aggregates[0]!, rows })).toBe(value);
  });
});

describe("aggregateLockKeys", () => {
  const cases = [
    { name: "a refund locks its agent (count per agent) and its user (the catch-all rule counts per user)", action: { agent: "a", tool: "issue_refund", user: "u1" }, keys: ["agent:a", "user:u1"] },
    { name: "a refund_* tool locks its user once, for both rules that group by it", action: { agent: "a", tool: "refund_card", user: "u1" }, keys: ["user:u1"] },
    { name: "no user, no user lock", action: { agent: "a", tool: "lookup" }, keys: [] },
  ];
  it.each(cases)("$name", ({ action, keys }) => {
    expect(aggregateLockKeys(policy.rules.map((rule) => ({ rule, action: act(action) })))).toEqual(keys);
  });
});
