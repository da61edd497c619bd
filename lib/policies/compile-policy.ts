// PolicyDocument → CompiledPolicy: every CEL condition parsed and type-checked once, globs and message
// templates compiled, the aggregates each rule needs listed. Any problem names its rule.
import { findAggregates, policyCel, type AggregateSpec } from "./cel-environment";
import { anyGlobMatcher, type Matcher } from "./glob";
import { compileMessage, type MessageTemplate } from "./message-template";
import type { Parsed, PolicyProblem } from "./parse-policy-file";
import { compileDeclarations, type ContextDeclarations, type NormalizedAction } from "./policy-action";
import { MATCH_FIELDS, type Decision, type MatchField, type PolicyDocument, type PolicyExample, type PolicyRule, type RuleOutcome } from "./policy-schema";
import type { Severity } from "../alerts/severity";

export interface CompiledRule {
  id: string;
  description?: string;
  outcome: RuleOutcome;
  severity: Severity;
  risk: number;
  /** The patterns per field, as written (the I/O shell may pre-filter stored spans with them). */
  match: Partial<Record<MatchField, string[]>>;
  matches(action: NormalizedAction): boolean;
  condition?: { source: string; evaluate(variables: Record<string, unknown>): unknown };
  aggregates: AggregateSpec[];
  message?: MessageTemplate;
}

export interface CompiledPolicy {
  name: string;
  defaultDecision: Decision;
  /** An allow whose risk is above this becomes review. */
  riskThreshold: number;
  declarations: ContextDeclarations;
  rules: CompiledRule[];
  examples: PolicyExample[];
}

/** The first line of a CEL error: the rest repeats the expression with a caret, which the path already locates. */
function celMessage(error: unknown): string {
  return ((error as Error).message ?? String(error)).split("\n")[0]!;
}

function compileMatch(match: PolicyRule["match"]): { patterns: CompiledRule["match"]; matches: CompiledRule["matches"] } {
  const patterns: CompiledRule["match"] = {};
  const tests: [MatchField, Matcher][] = [];
  for (const field of MATCH_FIELDS) {
    const value = match?.[field];
    if (value === undefined) continue;
    patterns[field] = Array.isArray(value) ? value : [value];
    tests.push([field, anyGlobMatcher(value)]);
  }
  return { patterns, matches: (action) => tests.every(([field, test]) => test(action.fields[field])) };
}

function compileCondition(source: string, problem: (message: string) => void): Pick<CompiledRule, "condition" | "aggregates"> {
  let parsed;
  try {
    parsed = policyCel.parse(source);
  } catch (error) {
    problem(`condition does not parse: ${celMessage(error)}`);
    return { aggregates: [] };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    problem(`condition: ${celMessage(checked.error)}`);
    return { aggregates: [] };
  }
  if (checked.type !== "bool" && checked.type !== "dyn") {
    problem(`condition must be true or false, but it is of type ${checked.type}`);
    return { aggregates: [] };
  }
  const { specs, problems } = findAggregates(parsed.ast);
  problems.forEach(problem);
  return { condition: { source, evaluate: (variables) => parsed(variables) }, aggregates: specs };
}

export function compilePolicy(document: PolicyDocument): Parsed<CompiledPolicy> {
  const problems: PolicyProblem[] = [];
  const rules = document.rules.map((rule, index): CompiledRule => {
    const at = (field: string) => (message: string) => problems.push({ path: ["rules", index, field], message: `rule '${rule.id}': ${message}` });
    const { patterns, matches } = compileMatch(rule.match);
    const { condition, aggregates } = rule.condition ? compileCondition(rule.condition, at("condition")) : { condition: undefined, aggregates: [] };
    let message: MessageTemplate | undefined;
    if (rule.message) {
      const compiled = compileMessage(rule.message);
      if (typeof compiled === "string") at("message")(compiled);
      else message = compiled;
    }
    return { id: rule.id, description: rule.description, outcome: rule.outcome, severity: rule.severity, risk: rule.risk, match: patterns, matches, condition, aggregates, message };
  });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: { name: document.name, defaultDecision: document.default, riskThreshold: document.riskThreshold, declarations: compileDeclarations(document.context), rules, examples: document.examples ?? [] },
  };
}
