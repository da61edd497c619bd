// `policies test`: every example of a policy file evaluated and compared with what it expects, like `opa test`.
import type { CompiledPolicy } from "./compile-policy";
import { evaluatePolicy, type PolicyEvaluation } from "./evaluate-policy";
import type { PolicyExample } from "./policy-schema";

export interface ExampleResult {
  name: string;
  passed: boolean;
  /** Why it failed, one line per difference. */
  failures: string[];
  evaluation: PolicyEvaluation;
}

export function runExample(policy: CompiledPolicy, example: PolicyExample, now: Date): ExampleResult {
  const given = example.aggregates ?? {};
  const at = example.at ? new Date(example.at) : now;
  const evaluation = evaluatePolicy({ policy, action: example.action, now: at, aggregates: (_rule, spec) => given[spec.key] ?? 0 });
  const failures: string[] = [];
  const matchedIds = [...evaluation.matched, ...evaluation.flags].map((m) => m.ruleId);
  if (evaluation.decision !== example.expect) {
    failures.push(`expected ${example.expect}, got ${evaluation.decision} (${matchedIds.length ? `matched: ${matchedIds.join(", ")}` : `no rule matched, the default is ${policy.defaultDecision}`})`);
  }
  if (example.matches) {
    const expected = [...example.matches].sort();
    const actual = [...matchedIds].sort();
    if (expected.join("\n") !== actual.join("\n")) failures.push(`expected the rules [${expected.join(", ")}] to match, got [${actual.join(", ")}]`);
  }
  for (const error of evaluation.errors) failures.push(`rule '${error.ruleId}' failed: ${error.message}`);
  const unknownKeys = Object.keys(given).filter((key) => !policy.rules.some((r) => r.aggregates.some((a) => a.key === key)));
  for (const key of unknownKeys) failures.push(`no rule uses the aggregate ${key} (write it like count(agent,1d) or sum(args.amount,user,1d))`);
  return { name: example.name, passed: failures.length === 0, failures, evaluation };
}

export function runExamples(policy: CompiledPolicy, now: Date): ExampleResult[] {
  return policy.examples.map((example) => runExample(policy, example, now));
}
