// The pure policy evaluator: a compiled policy + one action (+ the windowed aggregates the shell fetched)
// → the rules that matched, the decision, a combined risk and the rendered messages. No I/O, no clock.
import { withAggregates, type AggregateSpec } from "./cel-environment";
import type { CompiledPolicy, CompiledRule } from "./compile-policy";
import { renderMessage } from "./message-template";
import { celVariables, normalizeAction, templateValues, type NormalizedAction } from "./policy-action";
import type { Decision, PolicyAction, RuleOutcome } from "./policy-schema";
import type { Severity } from "../alerts/severity";

/** The value of an aggregate over the window before the action (the action itself excluded), or undefined when unknown. */
export type AggregateLookup = (ruleId: string, spec: AggregateSpec) => number | undefined;

export interface MatchedRule {
  ruleId: string;
  outcome: RuleOutcome;
  severity: Severity;
  risk: number;
  message: string;
}

export interface RuleError {
  ruleId: string;
  outcome: RuleOutcome;
  message: string;
}

export interface PolicyEvaluation {
  decision: Decision;
  /**
   * Why: "rules" when an allow, review or deny rule matched, "default" when none did, "error" when a failed
   * rule raised it to review, "risk" when the combined risk above the policy's riskThreshold did.
   */
  decidedBy: "rules" | "default" | "error" | "risk";
  /** Noisy-OR of the risk weights of every matched rule, flags included: 1 − Π(1 − risk). */
  risk: number;
  /** Matched allow, review and deny rules, strongest first. */
  matched: MatchedRule[];
  /** Matched flag rules: findings that never change the decision. */
  flags: MatchedRule[];
  errors: RuleError[];
}

export interface EvaluatePolicyInput {
  policy: CompiledPolicy;
  action: PolicyAction;
  now: Date;
  aggregates?: AggregateLookup;
}

const STRENGTH: Record<Decision, number> = { allow: 0, review: 1, deny: 2 };
const noAggregates: AggregateLookup = () => undefined;

export function evaluatePolicy({ policy, action, now, aggregates = noAggregates }: EvaluatePolicyInput): PolicyEvaluation {
  return evaluateNormalized({ policy, action: normalizeAction(action, policy.declarations), now, aggregates });
}

/** The same, for callers that normalize many actions themselves (backtests). */
export function evaluateNormalized({ policy, action, now, aggregates }: { policy: CompiledPolicy; action: NormalizedAction; now: Date; aggregates: AggregateLookup }): PolicyEvaluation {
  const matched: MatchedRule[] = [];
  const flags: MatchedRule[] = [];
  const errors: RuleError[] = [];
  let variables: Record<string, unknown> | undefined;
  for (const rule of policy.rules) {
    if (!rule.matches(action)) continue;
    variables ??= celVariables(action, now);
    const verdict = ruleVerdict(rule, action, variables, aggregates);
    if (verdict === true) (rule.outcome === "flag" ? flags : matched).push(matchOf(rule, action));
    else if (typeof verdict === "string") errors.push({ ruleId: rule.id, outcome: rule.outcome, message: verdict });
  }
  matched.sort((a, b) => STRENGTH[b.outcome as Decision] - STRENGTH[a.outcome as Decision]);
  const strongest = matched[0]?.outcome as Decision | undefined;
  let decision: Decision = strongest ?? policy.defaultDecision;
  let decidedBy: PolicyEvaluation["decidedBy"] = strongest ? "rules" : "default";
  // A rule that could have stopped the action but failed to evaluate sends the action to a human.
  if (STRENGTH[decision] < STRENGTH.review && errors.some((e) => e.outcome === "review" || e.outcome === "deny")) {
    decision = "review";
    decidedBy = "error";
  }
  const risk = combinedRisk([...matched, ...flags].map((m) => m.risk));
  if (decision === "allow" && risk > policy.riskThreshold) {
    decision = "review";
    decidedBy = "risk";
  }
  return { decision, decidedBy, risk, matched, flags, errors };
}

/** Noisy-OR: the chance that at least one of independent risks materializes, 1 − Π(1 − risk). */
export function combinedRisk(risks: readonly number[]): number {
  return 1 - risks.reduce((keep, risk) => keep * (1 - risk), 1);
}

/** true / false, or why the condition could not be evaluated. */
function ruleVerdict(rule: CompiledRule, action: NormalizedAction, variables: Record<string, unknown>, aggregates: AggregateLookup): boolean | string {
  if (!rule.condition) return true;
  const values = new Map<string, number>();
  for (const spec of rule.aggregates) {
    const prior = aggregates(rule.id, spec);
    if (prior === undefined) return `the aggregate ${spec.key} was not provided`;
    values.set(spec.key, prior + currentContribution(spec, action));
  }
  const { evaluate } = rule.condition;
  try {
    const result = withAggregates(values, () => evaluate(variables));
    if (typeof result === "boolean") return result;
    return `the condition returned ${describeType(result)}, not true or false`;
  } catch (error) {
    return ((error as Error).message ?? String(error)).split("\n")[0]!;
  }
}

/** Aggregates include the action being evaluated: count adds one, sum adds the action's own value. */
function currentContribution(spec: AggregateSpec, action: NormalizedAction): number {
  if (spec.fn === "count") return 1;
  return numericField(action, spec.field!) ?? 0;
}

/** The number at "args.a.b" or "attributes.<key>" of an action, if it is one. */
export function numericField(action: Pick<NormalizedAction, "args" | "attributes">, field: string): number | undefined {
  let value: unknown;
  if (field.startsWith("attributes.")) value = action.attributes[field.slice("attributes.".length)];
  else value = field.slice("args.".length).split(".").reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), action.args);
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}

function matchOf(rule: CompiledRule, action: NormalizedAction): MatchedRule {
  const message = rule.message ? renderMessage(rule.message, templateValues(action, rule.id)) : (rule.description ?? `rule ${rule.id} matched`);
  return { ruleId: rule.id, outcome: rule.outcome, severity: rule.severity, risk: rule.risk, message };
}
