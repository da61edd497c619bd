// Pure: the windowed count/sum aggregates a rule needs, computed over earlier decisions of the project.
// Decisions are the proposed actions, so "this agent issued more than three refunds today" counts the
// decisions asked for in the window (whatever they were answered) that the rule's `match` selects, with the
// same agent (or user) as the action being decided. The action itself is added by the evaluator.
import type { AggregateSpec } from "../policies/cel-environment";
import type { CompiledRule } from "../policies/compile-policy";
import { numericField } from "../policies/evaluate-policy";
import type { NormalizedAction } from "../policies/policy-action";

/** The columns of a stored decision an aggregate reads. */
export interface PriorDecision {
  agent: string;
  tool: string;
  user: string | null;
  service: string | null;
  model: string | null;
  /** JSON text, parsed only for sums. */
  args: string;
}

export interface AggregateQuery {
  /** "agent" or "user" and its value in the action being decided. */
  by: AggregateSpec["by"];
  value: string;
  since: Date;
  /** Exact tool names when the rule's tool patterns have no glob: lets the (project, agent, tool, time) index narrow the scan. */
  tools?: string[];
}

const isExact = (pattern: string) => !/[*?]/.test(pattern);

/** What to read for one aggregate of one rule, or null when the action has no value to group by (then the window holds nothing). */
export function aggregateQuery({ rule, spec, action, now }: { rule: CompiledRule; spec: AggregateSpec; action: NormalizedAction; now: Date }): AggregateQuery | null {
  const value = action.fields[spec.by];
  if (!value) return null;
  const toolPatterns = rule.match.tool;
  const tools = toolPatterns?.every(isExact) ? toolPatterns : undefined;
  return { by: spec.by, value, since: new Date(now.getTime() - spec.windowMs), ...(tools ? { tools } : {}) };
}

/**
 * The groups ("agent:<name>", "user:<id>") whose earlier decisions the rules that match this action
 * aggregate, sorted. A decision locks them while it reads its aggregates and stores itself, so concurrent
 * decisions of the same agent (or user) count each other, and others never wait.
 */
export function aggregateLockKeys(rules: readonly { rule: CompiledRule; action: NormalizedAction }[]): string[] {
  const keys = new Set<string>();
  for (const { rule, action } of rules) {
    if (rule.aggregates.length === 0 || !rule.matches(action)) continue;
    for (const spec of rule.aggregates) if (action.fields[spec.by]) keys.add(`${spec.by}:${action.fields[spec.by]}`);
  }
  return [...keys].sort();
}

/** count: how many of the rows the rule's match selects; sum: the total of the field over them (non-numbers count 0). */
export function aggregateOver({ rule, spec, rows }: { rule: CompiledRule; spec: AggregateSpec; rows: readonly PriorDecision[] }): number {
  let total = 0;
  for (const row of rows) {
    const action = storedAction(row, spec.fn === "sum");
    if (!rule.matches(action)) continue;
    total += spec.fn === "count" ? 1 : (numericField(action, spec.field!) ?? 0);
  }
  return total;
}

function storedAction(row: PriorDecision, withArgs: boolean): NormalizedAction {
  const fields = { agent: row.agent, tool: row.tool, kind: "tool", model: row.model ?? "", service: row.service ?? "", user: row.user ?? "", session: "" };
  return { fields, args: withArgs ? parseArgs(row.args) : {}, attributes: {}, context: { role: "", sensitivity: "" } };
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
