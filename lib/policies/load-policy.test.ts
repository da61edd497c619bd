import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "./load-policy";
import { describeProblem } from "./parse-policy-file";
import { runExamples } from "./run-examples";

const rule = (extra: string) => `name: p\nrules:\n  - id: r1\n    outcome: deny\n${extra}`;

describe("loadPolicy: problems at apply time, with their place in the file", () => {
  const cases: Array<{ name: string; yaml: string; message: RegExp; line?: number; column?: number }> = [
    { name: "YAML syntax error", yaml: "name: p\nrules: [\n  - id: a\n", message: /flow sequence|collection|\]/i, line: 3 },
    { name: "duplicate keys", yaml: "name: p\nname: q\nrules: []\n", message: /unique/i, line: 2 },
    { name: "missing rules", yaml: "name: p\n", message: /^is required$/, line: 1 },
    { name: "unknown outcome", yaml: "name: p\nrules:\n  - id: r1\n    outcome: block\n", message: /allow.*review.*deny.*flag/, line: 4, column: 14 },
    { name: "risk out of [0, 1]", yaml: rule("    risk: 1.5\n"), message: /<=1|too big/i, line: 5, column: 11 },
    { name: "unknown field (a typo) is refused", yaml: rule("    conditon: x > 1\n"), message: /conditon/, line: 3 },
    { name: "bad policy name", yaml: "name: My Policy\nrules:\n  - { id: r1, outcome: allow }\n", message: /lowercase/, line: 1, column: 7 },
    { name: "unknown match field", yaml: rule("    match: { user: bob }\n"), message: /user/, line: 5 },
    { name: "duplicate rule ids", yaml: "name: p\nrules:\n  - { id: r1, outcome: allow }\n  - { id: r1, outcome: deny }\n", message: /already used by rule 1/, line: 4 },
    { name: "example names a rule that does not exist", yaml: rule("examples:\n  - { name: e, action: {}, expect: deny, matches: [nope] }\n"), message: /no rule has the id 'nope'/, line: 6 },
    { name: "CEL syntax error names the rule", yaml: rule("    condition: args.amount >\n"), message: /rule 'r1': condition does not parse/, line: 5, column: 16 },
    { name: "CEL type error at apply time, not evaluation", yaml: rule('    condition: agent > 5\n'), message: /rule 'r1': condition: no such overload: string > int/, line: 5 },
    { name: "unknown variable", yaml: rule("    condition: amount > 5\n"), message: /rule 'r1': condition: Unknown variable: amount/i },
    { name: "a condition that is not a bool", yaml: rule('    condition: agent + "x"\n'), message: /must be true or false, but it is of type string/ },
    { name: "aggregate with a computed argument", yaml: rule('    condition: count(agent, "1d") > 3\n'), message: /count\(\) takes literal strings/ },
    { name: "aggregate grouped by an unknown field", yaml: rule('    condition: count("session", "1d") > 3\n'), message: /group by "agent" or "user"/ },
    { name: "aggregate window too long", yaml: rule('    condition: count("agent", "30d") > 3\n'), message: /at most 7d/ },
    { name: "sum over a field that is not an argument", yaml: rule('    condition: sum("amount", "user", "1d") > 3.0\n'), message: /args.<name>/ },
    { name: "message placeholder of an unknown variable", yaml: rule('    message: "blocked {{amount}}"\n'), message: /rule 'r1': the placeholder \{\{amount\}\}/, line: 5 },
  ];

  it.each(cases)("$name", (c) => {
    const loaded = loadPolicy(c.yaml);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const first = loaded.problems[0]!;
    expect(first.message).toMatch(c.message);
    if (c.line) expect(first.line).toBe(c.line);
    if (c.column) expect(first.column).toBe(c.column);
  });

  it("reports every rule's compile error, not only the first", () => {
    const loaded = loadPolicy("name: p\nrules:\n  - { id: a, outcome: deny, condition: 'x >' }\n  - { id: b, outcome: deny, condition: 'agent > 1' }\n");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.map((p) => [p.message.slice(0, 10), p.line])).toEqual([["rule 'a': ", 3], ["rule 'b': ", 4]]);
  });

  it("describes a problem as 'line L, column C path: message'", () => {
    const loaded = loadPolicy(rule("    risk: 2\n"));
    if (loaded.ok) throw new Error("expected a problem");
    expect(describeProblem(loaded.problems[0]!)).toMatch(/^line 5, column 11 rules\.0\.risk: /);
  });

  it("fills defaults: severity medium, risk 0, default decision allow", () => {
    const loaded = loadPolicy("name: p\nrules:\n  - { id: r1, outcome: flag }\n");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.value.policy.defaultDecision).toBe("allow");
    expect(loaded.value.policy.rules[0]).toMatchObject({ severity: "medium", risk: 0, aggregates: [] });
  });

  it("lists the aggregates a rule needs, once each", () => {
    const loaded = loadPolicy(rule('    condition: count("agent", "1h") > 3 || count("agent", "1h") > 1 && sum("args.amount", "user", "1d") > 1.0\n'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.value.policy.rules[0]!.aggregates.map((a) => [a.key, a.windowMs])).toEqual([["count(agent,1h)", 3_600_000], ["sum(args.amount,user,1d)", 86_400_000]]);
  });
});

describe("the worked example in docs/policies", () => {
  const source = readFileSync(path.resolve(import.meta.dirname, "../../docs/policies/refund-limits.yaml"), "utf8");

  it("loads, and every one of its examples passes", () => {
    const loaded = loadPolicy(source);
    if (!loaded.ok) throw new Error(loaded.problems.map(describeProblem).join("\n"));
    const results = runExamples(loaded.value.policy, new Date("2026-03-02T10:00:00Z"));
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.failures.join("; ")}`)).toEqual([]);
  });

  it("a wrong expectation fails with the reason", () => {
    const broken = source.replace("expect: deny\n    matches: [refund-over-limit, refunds-per-customer-per-day]", "expect: allow\n    matches: [refund-over-limit]");
    const loaded = loadPolicy(broken);
    if (!loaded.ok) throw new Error("expected the policy to load");
    const failed = runExamples(loaded.value.policy, new Date()).filter((r) => !r.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failures).toEqual([
      "expected allow, got deny (matched: refund-over-limit, refunds-per-customer-per-day)",
      "expected the rules [refund-over-limit] to match, got [refund-over-limit, refunds-per-customer-per-day]",
    ]);
  });

  it("an aggregate key no rule uses is a failure, not silently ignored", () => {
    const loaded = loadPolicy(source.replace('"count(agent,1d)": 3', '"count(agent, 1d)": 3'));
    if (!loaded.ok) throw new Error("expected the policy to load");
    const failed = runExamples(loaded.value.policy, new Date()).filter((r) => !r.passed);
    expect(failed.map((f) => f.failures.at(-1))).toContain("no rule uses the aggregate count(agent, 1d) (write it like count(agent,1d) or sum(args.amount,user,1d))");
  });
});
