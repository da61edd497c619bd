import { describe, expect, it } from "vitest";
import type { MatchedRule, PolicyEvaluation } from "../policies/evaluate-policy";
import { combineEvaluations, NO_POLICY_REASON, type NamedEvaluation } from "./combine-evaluations";

const rule = (ruleId: string, outcome: MatchedRule["outcome"], risk: number): MatchedRule => ({ ruleId, outcome, severity: "medium", risk, message: `${ruleId} matched` });

function named(policy: string, evaluation: Partial<PolicyEvaluation>, riskThreshold = 0.8): NamedEvaluation {
  const matched = evaluation.matched ?? [];
  const flags = evaluation.flags ?? [];
  return {
    policy,
    riskThreshold,
    evaluation: { decision: "allow", decidedBy: matched.length ? "rules" : "default", risk: 0, matched, flags, errors: [], ...evaluation },
  };
}

describe("combineEvaluations", () => {
  const cases: Array<{ name: string; evaluations: NamedEvaluation[]; decision: string; risk: number; rules: (string | null)[]; flags?: string[] }> = [
    { name: "no policy: allow, risk 0, 'no policy'", evaluations: [], decision: "allow", risk: 0, rules: [null] },
    { name: "one policy, no rule matched: its default", evaluations: [named("p", {})], decision: "allow", risk: 0, rules: [null] },
    { name: "one deny rule", evaluations: [named("p", { decision: "deny", matched: [rule("big", "deny", 0.9)] })], decision: "deny", risk: 0.9, rules: ["big"] },
    {
      name: "the strongest decision across policies wins; reasons strongest first",
      evaluations: [named("a", { decision: "review", matched: [rule("r", "review", 0.5)] }), named("b", { decision: "deny", matched: [rule("d", "deny", 0.2)] })],
      decision: "deny", risk: 1 - 0.5 * 0.8, rules: ["d", "r"],
    },
    {
      name: "flags add risk but never decide",
      evaluations: [named("p", { flags: [rule("f", "flag", 0.3)] })],
      decision: "allow", risk: 0.3, rules: [null], flags: ["f"],
    },
    {
      name: "risks of two policies combine above the threshold: review",
      evaluations: [named("a", { flags: [rule("f1", "flag", 0.6)] }), named("b", { flags: [rule("f2", "flag", 0.6)] })],
      decision: "review", risk: 1 - 0.4 * 0.4, rules: [null, null, null], flags: ["f1", "f2"],
    },
    {
      name: "the strictest threshold applies",
      evaluations: [named("a", { flags: [rule("f", "flag", 0.5)] }, 1), named("b", {}, 0.4)],
      decision: "review", risk: 0.5, rules: [null, null, null], flags: ["f"],
    },
    {
      name: "a failed rule's review carries its error",
      evaluations: [named("p", { decision: "review", decidedBy: "error", errors: [{ ruleId: "broken", outcome: "deny", message: "no such overload" }] })],
      decision: "review", risk: 0, rules: ["broken"],
    },
  ];
  it.each(cases)("$name", ({ evaluations, decision, risk, rules, flags = [] }) => {
    const out = combineEvaluations(evaluations);
    expect(out.decision).toBe(decision);
    expect(out.risk).toBeCloseTo(risk, 10);
    expect(out.reasons.map((r) => r.rule)).toEqual(rules);
    expect(out.flags.map((r) => r.rule)).toEqual(flags);
  });

  it("says why with readable messages", () => {
    expect(combineEvaluations([]).reasons).toEqual([NO_POLICY_REASON]);
    const risky = combineEvaluations([named("a", { flags: [rule("f", "flag", 0.9)] })]);
    expect(risky.reasons.map((r) => r.message)).toContain("the combined risk 0.90 is above the threshold 0.8");
    const failed = combineEvaluations([named("p", { decision: "review", decidedBy: "error", errors: [{ ruleId: "x", outcome: "deny", message: "boom" }] })]);
    expect(failed.reasons[0]).toMatchObject({ policy: "p", rule: "x", outcome: "review", message: "the rule could not be evaluated: boom" });
  });
});
