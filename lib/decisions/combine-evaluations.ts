// Pure: the evaluations of a project's applied policies → one decision. The strongest decision wins
// (deny > review > allow), risks combine by noisy-OR, and the strictest riskThreshold turns a risky
// allow into review. No policy at all → allow with risk 0 and the reason "no policy".
import { combinedRisk, type MatchedRule, type PolicyEvaluation } from "../policies/evaluate-policy";
import type { Decision } from "../policies/policy-schema";
import type { DecisionReason } from "./decision-schemas";

export interface NamedEvaluation {
  policy: string;
  riskThreshold: number;
  evaluation: PolicyEvaluation;
}

export interface CombinedDecision {
  decision: Decision;
  risk: number;
  reasons: DecisionReason[];
  flags: DecisionReason[];
}

const STRENGTH: Record<Decision, number> = { allow: 0, review: 1, deny: 2 };

export const NO_POLICY_REASON: DecisionReason = { policy: null, rule: null, outcome: "allow", severity: "info", message: "no policy" };

export function combineEvaluations(evaluations: readonly NamedEvaluation[]): CombinedDecision {
  if (evaluations.length === 0) return { decision: "allow", risk: 0, reasons: [NO_POLICY_REASON], flags: [] };
  let decision: Decision = "allow";
  const reasons: DecisionReason[] = [];
  const flags: DecisionReason[] = [];
  const risks: number[] = [];
  for (const { policy, evaluation } of evaluations) {
    if (STRENGTH[evaluation.decision] > STRENGTH[decision]) decision = evaluation.decision;
    reasons.push(...evaluation.matched.map((m) => reasonOf(policy, m)), ...policyLevelReasons(policy, evaluation));
    flags.push(...evaluation.flags.map((m) => reasonOf(policy, m)));
    risks.push(...evaluation.matched.map((m) => m.risk), ...evaluation.flags.map((m) => m.risk));
  }
  const risk = combinedRisk(risks);
  const threshold = Math.min(...evaluations.map((e) => e.riskThreshold));
  if (decision === "allow" && risk > threshold) {
    decision = "review";
    reasons.push({ policy: null, rule: null, outcome: "review", severity: "medium", message: `the combined risk ${risk.toFixed(2)} is above the threshold ${threshold}` });
  }
  reasons.sort((a, b) => STRENGTH[b.outcome as Decision] - STRENGTH[a.outcome as Decision]);
  return { decision, risk, reasons, flags };
}

function reasonOf(policy: string, m: MatchedRule): DecisionReason {
  return { policy, rule: m.ruleId, outcome: m.outcome, severity: m.severity, message: m.message };
}

/** Why a policy decided when no rule of it did: its default, a rule that failed, or its risk threshold. */
function policyLevelReasons(policy: string, evaluation: PolicyEvaluation): DecisionReason[] {
  if (evaluation.decidedBy === "error") {
    return evaluation.errors.map((e) => ({ policy, rule: e.ruleId, outcome: "review", severity: "medium", message: `the rule could not be evaluated: ${e.message}` }));
  }
  if (evaluation.decidedBy === "risk") {
    return [{ policy, rule: null, outcome: "review", severity: "medium", message: `the risk ${evaluation.risk.toFixed(2)} is above the policy's threshold` }];
  }
  if (evaluation.decidedBy === "default") {
    return [{ policy, rule: null, outcome: evaluation.decision, severity: "info", message: `no rule matched; the policy's default is ${evaluation.decision}` }];
  }
  return [];
}
