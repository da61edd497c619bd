import { describe, expect, it } from "vitest";
import { evaluatePolicy, type AggregateLookup } from "./evaluate-policy";
import { loadPolicy } from "./load-policy";
import type { CompiledPolicy } from "./compile-policy";
import type { PolicyAction } from "./policy-schema";

const NOW = new Date("2026-03-02T10:30:00Z"); // a Monday, 11:30 in Berlin

function compile(yaml: string): CompiledPolicy {
  const loaded = loadPolicy(yaml);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("; "));
  return loaded.value.policy;
}

const policy = compile(`
name: features
default: allow
context:
  agents: { "ops-*": { role: operator }, "support-*": { role: support } }
  tools: { read_ticket: { sensitivity: pii } }
rules:
  - { id: big-refund, match: { tool: issue_refund }, condition: "args.amount > 500.0", outcome: deny, severity: high, risk: 0.9,
      message: "refund of {{args.amount}} by {{agent}}" }
  - { id: daily-total, match: { tool: issue_refund }, condition: 'sum("args.amount", "user", "1d") > 1000.0', outcome: review, risk: 0.5 }
  - { id: hourly-rate, match: { tool: issue_refund }, condition: 'count("agent", "1h") > 5', outcome: flag, risk: 0.2 }
  - { id: prod-writes-office-hours, match: { tool: "db_*", service: prod-* }, outcome: deny, risk: 0.8,
      condition: 'args.statement.startsWith("UPDATE") && (now.getHours("Europe/Berlin") < 9 || now.getHours("Europe/Berlin") >= 18)' }
  - { id: pii-role, match: { kind: tool }, condition: 'context.sensitivity == "pii" && !(context.role in ["support"])', outcome: deny, risk: 1.0 }
  - { id: low-confidence, match: { kind: tool }, condition: "has(context.confidence) && context.confidence < 0.5", outcome: review, risk: 0.4 }
  - { id: risky-recipient, match: { tool: send_email }, condition: 'args.to.exists(r, r.matches("@rival\\\\.example$"))', outcome: review, risk: 0.7 }
  - { id: attribute-route, match: { kind: llm, model: ["gpt-4*", "o?"] }, condition: 'attributes["http.route"] == "/admin" ? true : false', outcome: flag, risk: 0.1 }
  - { id: trusted-tool, match: { tool: get_weather }, outcome: allow }
  - { id: type-error, match: { tool: fragile }, condition: "args.count > 3.0", outcome: deny }
`);

const refund = (amount: number, over: Partial<PolicyAction> = {}): PolicyAction => ({ agent: "support-eu", tool: "issue_refund", user: "u1", args: { amount }, ...over });
const lookup = (values: Record<string, number>): AggregateLookup => (_rule, spec) => values[spec.key];
const NO_PRIOR = lookup({ "sum(args.amount,user,1d)": 0, "count(agent,1h)": 0 });

describe("evaluatePolicy", () => {
  const cases: Array<{
    name: string; action: PolicyAction; aggregates?: AggregateLookup; now?: Date;
    decision: "allow" | "review" | "deny"; decidedBy?: "rules" | "default" | "error"; matched?: string[]; flags?: string[]; errors?: string[]; risk?: number;
  }> = [
    { name: "no rule matches: the default decides", action: { agent: "a", tool: "search" }, decision: "allow", decidedBy: "default", matched: [], risk: 0 },
    { name: "a match-only allow rule", action: { agent: "a", tool: "get_weather" }, decision: "allow", decidedBy: "rules", matched: ["trusted-tool"] },
    { name: "a small refund passes every condition", action: refund(40), aggregates: NO_PRIOR, decision: "allow", matched: [] },
    { name: "comparison on a parsed argument: deny", action: refund(800), aggregates: NO_PRIOR, decision: "deny", matched: ["big-refund"], risk: 0.9 },
    { name: "sum includes the action itself: 700 before + 400 now > 1000", action: refund(400), aggregates: lookup({ "sum(args.amount,user,1d)": 700, "count(agent,1h)": 0 }),
      decision: "review", matched: ["daily-total"], risk: 0.5 },
    { name: "deny beats review, and risks combine by noisy-OR", action: refund(900), aggregates: lookup({ "sum(args.amount,user,1d)": 200, "count(agent,1h)": 0 }),
      decision: "deny", matched: ["big-refund", "daily-total"], risk: 1 - 0.1 * 0.5 },
    { name: "count includes the action itself; a flag does not change the decision", action: refund(10), aggregates: lookup({ "sum(args.amount,user,1d)": 0, "count(agent,1h)": 5 }),
      decision: "allow", matched: [], flags: ["hourly-rate"], risk: 0.2 },
    { name: "a missing aggregate is an error that sends deny/review rules to a human", action: refund(10), decision: "review", decidedBy: "error",
      errors: ["daily-total", "hourly-rate"] },
    { name: "timestamp functions: a production write at 20:00 Berlin", action: { tool: "db_exec", service: "prod-eu", args: { statement: "UPDATE users SET x=1" } },
      now: new Date("2026-03-02T19:00:00Z"), decision: "deny", matched: ["prod-writes-office-hours"] },
    { name: "the same write in office hours", action: { tool: "db_exec", service: "prod-eu", args: { statement: "UPDATE users SET x=1" } }, decision: "allow", matched: [] },
    { name: "globs: a staging service does not match prod-*", action: { tool: "db_exec", service: "staging", args: { statement: "UPDATE x" } },
      now: new Date("2026-03-02T19:00:00Z"), decision: "allow", matched: [] },
    { name: "declared context: pii tool for an agent without the role", action: { agent: "ops-1", tool: "read_ticket" }, decision: "deny", matched: ["pii-role"], risk: 1 },
    { name: "declared context: pii tool for a support agent", action: { agent: "support-eu", tool: "read_ticket" }, decision: "allow", matched: [] },
    { name: "an agent cannot claim a role: only confidence comes from the caller", action: { agent: "ops-1", tool: "read_ticket", context: { confidence: 0.9 } },
      decision: "deny", matched: ["pii-role"] },
    { name: "has() on context: low model confidence", action: { agent: "support-eu", tool: "search", context: { confidence: 0.3 } }, decision: "review", matched: ["low-confidence"] },
    { name: "has() on context: no confidence sent", action: { agent: "support-eu", tool: "search" }, decision: "allow", matched: [] },
    { name: "list macro and regex", action: { tool: "send_email", args: { to: ["a@ok.example", "b@rival.example"] } }, decision: "review", matched: ["risky-recipient"] },
    { name: "attributes with dotted keys, ternary, a list of globs", action: { kind: "llm", model: "o3", attributes: { "http.route": "/admin" } },
      decision: "allow", flags: ["attribute-route"], risk: 0.1 },
    { name: "model glob does not match another model", action: { kind: "llm", model: "claude-3", attributes: { "http.route": "/admin" } }, decision: "allow", flags: [] },
    { name: "a missing argument is an evaluation error, not a match", action: { tool: "issue_refund", user: "u1", args: {} }, aggregates: NO_PRIOR,
      decision: "review", decidedBy: "error", errors: ["big-refund"] },
    { name: "a type error at evaluation (string > double) is reported with its rule", action: { tool: "fragile", args: { count: "many" } },
      decision: "review", decidedBy: "error", errors: ["type-error"] },
  ];

  it.each(cases)("$name", (c) => {
    const out = evaluatePolicy({ policy, action: c.action, now: c.now ?? NOW, aggregates: c.aggregates });
    expect(out.decision).toBe(c.decision);
    if (c.decidedBy) expect(out.decidedBy).toBe(c.decidedBy);
    if (c.matched) expect(out.matched.map((m) => m.ruleId)).toEqual(c.matched);
    if (c.flags) expect(out.flags.map((m) => m.ruleId)).toEqual(c.flags);
    expect(out.errors.map((e) => e.ruleId)).toEqual(c.errors ?? []);
    if (c.risk !== undefined) expect(out.risk).toBeCloseTo(c.risk, 10);
    expect(out.risk).toBeGreaterThanOrEqual(0);
    expect(out.risk).toBeLessThanOrEqual(1);
  });

  it("renders message templates with the action's values", () => {
    const out = evaluatePolicy({ policy, action: refund(800), now: NOW, aggregates: NO_PRIOR });
    expect(out.matched[0]!.message).toBe("refund of 800 by support-eu");
    expect(out.matched[0]!.severity).toBe("high");
  });

  it("explains evaluation errors in one line", () => {
    const out = evaluatePolicy({ policy, action: { tool: "fragile", args: { count: "many" } }, now: NOW });
    expect(out.errors[0]!.message).toMatch(/no such overload/i);
    expect(out.errors[0]!.message).not.toContain("\n");
    const missing = evaluatePolicy({ policy, action: refund(10), now: NOW });
    expect(missing.errors[0]!.message).toBe("the aggregate sum(args.amount,user,1d) was not provided");
  });

  it("a deny default is overridden only by an explicit allow", () => {
    const allowlist = compile(`
name: allowlist
default: deny
rules:
  - { id: weather, match: { tool: get_weather }, outcome: allow }
`);
    expect(evaluatePolicy({ policy: allowlist, action: { tool: "get_weather" }, now: NOW }).decision).toBe("allow");
    expect(evaluatePolicy({ policy: allowlist, action: { tool: "delete_account" }, now: NOW })).toMatchObject({ decision: "deny", decidedBy: "default" });
  });

  describe("riskThreshold turns a risky allow into review", () => {
    const flagged = (threshold: string) => compile(`
name: risky
${threshold}
rules:
  - { id: odd-hour, match: { tool: wire }, outcome: flag, risk: 0.7 }
  - { id: new-payee, match: { tool: wire }, condition: "args.newPayee == true", outcome: flag, risk: 0.5 }
  - { id: blocked, match: { tool: delete_all }, outcome: deny, risk: 0.95 }
`);
    const cases: Array<{ name: string; threshold: string; action: PolicyAction; decision: "allow" | "review" | "deny"; decidedBy: string }> = [
      { name: "below the default 0.8 stays allow", threshold: "", action: { tool: "wire", args: { newPayee: false } }, decision: "allow", decidedBy: "default" },
      { name: "above the default 0.8 (1 − 0.3 × 0.5 = 0.85) becomes review", threshold: "", action: { tool: "wire", args: { newPayee: true } }, decision: "review", decidedBy: "risk" },
      { name: "a lower threshold catches a single flag", threshold: "riskThreshold: 0.6", action: { tool: "wire", args: { newPayee: false } }, decision: "review", decidedBy: "risk" },
      { name: "a threshold of 1 never raises", threshold: "riskThreshold: 1", action: { tool: "wire", args: { newPayee: true } }, decision: "allow", decidedBy: "default" },
      { name: "a deny stays deny", threshold: "", action: { tool: "delete_all" }, decision: "deny", decidedBy: "rules" },
    ];
    it.each(cases)("$name", ({ threshold, action, decision, decidedBy }) => {
      expect(evaluatePolicy({ policy: flagged(threshold), action, now: NOW })).toMatchObject({ decision, decidedBy });
    });
  });

  it("evaluates a realistic condition in microseconds", () => {
    const runs = 20_000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) evaluatePolicy({ policy, action: refund(i % 1000), now: NOW, aggregates: NO_PRIOR });
    const perActionUs = ((performance.now() - started) * 1000) / runs;
    // Ten rules per action; generous for a shared 2-core machine.
    expect(perActionUs).toBeLessThan(100);
  });
});
