// The CEL environment every policy condition is compiled in: the variables a condition sees and the
// windowed aggregate functions count(by, window) and sum(field, by, window).
import { Environment, type ASTNode } from "@marcbachmann/cel-js";

/** Normalized fields of the action; each is "" when the action does not say. */
export const STRING_VARIABLES = ["agent", "tool", "kind", "model", "service", "user", "session"] as const;
export const MAP_VARIABLES = ["args", "attributes", "context"] as const;

export const AGGREGATE_BY = ["agent", "user"] as const;
export type AggregateBy = (typeof AGGREGATE_BY)[number];

export interface AggregateSpec {
  fn: "count" | "sum";
  /** For sum: "args.<path>" or "attributes.<key>". */
  field?: string;
  by: AggregateBy;
  window: string;
  windowMs: number;
  /** Canonical name, e.g. "count(agent,1d)" or "sum(args.amount,user,1d)". */
  key: string;
}

/**
 * Aggregate values of the action being evaluated (the window's earlier actions plus this one), by key.
 * CEL calls function handlers without the evaluation's variables, so the evaluator sets this around each
 * (synchronous) condition call and the handlers read it; nothing else writes it.
 */
let currentAggregates: ReadonlyMap<string, number> | null = null;

export function withAggregates<T>(values: ReadonlyMap<string, number>, run: () => T): T {
  const previous = currentAggregates;
  currentAggregates = values;
  try {
    return run();
  } finally {
    currentAggregates = previous;
  }
}

function aggregateValue(key: string): number {
  const value = currentAggregates?.get(key);
  if (value === undefined) throw new Error(`the aggregate ${key} was not provided`);
  return value;
}

export function aggregateKey(spec: Pick<AggregateSpec, "fn" | "field" | "by" | "window">): string {
  return spec.fn === "count" ? `count(${spec.by},${spec.window})` : `sum(${spec.field},${spec.by},${spec.window})`;
}

const MAX_WINDOW_MS = 7 * 86_400_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "15m", "1h", "1d" … up to 7 days; null when not a window. */
export function parseWindow(text: string): number | null {
  const m = /^(\d{1,4})([mhd])$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && ms <= MAX_WINDOW_MS ? ms : null;
}

const SUM_FIELD = /^(args\.[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*|attributes\..+)$/;

function buildEnvironment(): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false, limits: { maxAstNodes: 2_000, maxDepth: 50 } });
  for (const name of STRING_VARIABLES) env.registerVariable(name, "string");
  for (const name of MAP_VARIABLES) env.registerVariable(name, "map");
  env.registerVariable("now", "google.protobuf.Timestamp");
  env.registerFunction("count(string, string): int", (by: string, window: string) => BigInt(aggregateValue(aggregateKey({ fn: "count", by: by as AggregateBy, window }))));
  env.registerFunction("sum(string, string, string): double", (field: string, by: string, window: string) => aggregateValue(aggregateKey({ fn: "sum", field, by: by as AggregateBy, window })));
  return env;
}

export const policyCel = buildEnvironment();

type AnyNode = { op: string; args: unknown };
const isNode = (value: unknown): value is AnyNode => typeof value === "object" && value !== null && "op" in value && "args" in value;

/** The aggregate calls in a parsed condition, or why one is not a valid call (arguments must be literals). */
export function findAggregates(ast: ASTNode): { specs: AggregateSpec[]; problems: string[] } {
  const specs = new Map<string, AggregateSpec>();
  const problems: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    if (isNode(value) && value.op === "call") {
      const [name, callArgs] = value.args as [string, AnyNode[]];
      if (name === "count" || name === "sum") {
        const parsed = aggregateSpec(name, callArgs);
        if (typeof parsed === "string") problems.push(parsed);
        else specs.set(parsed.key, parsed);
      }
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(ast);
  return { specs: [...specs.values()], problems };
}

function aggregateSpec(fn: "count" | "sum", callArgs: AnyNode[]): AggregateSpec | string {
  const usage = fn === "count" ? 'count("agent" | "user", "1h" | "1d" | …)' : 'sum("args.<field>", "agent" | "user", "1h" | "1d" | …)';
  const literals = callArgs.map((a) => (a.op === "value" && typeof a.args === "string" ? a.args : null));
  if (literals.some((l) => l === null)) return `${fn}() takes literal strings: ${usage}`;
  const [field, by, window] = fn === "count" ? [undefined, literals[0]!, literals[1]!] : [literals[0]!, literals[1]!, literals[2]!];
  if (!(AGGREGATE_BY as readonly string[]).includes(by)) return `${fn}(): group by "agent" or "user", not "${by}"`;
  const windowMs = parseWindow(window);
  if (windowMs === null) return `${fn}(): the window "${window}" is not a duration like "15m", "1h" or "1d" (at most 7d)`;
  if (field !== undefined && !SUM_FIELD.test(field)) return `sum(): the field "${field}" must be "args.<name>" or "attributes.<key>"`;
  const spec = { fn, field, by: by as AggregateBy, window, windowMs };
  return { ...spec, key: aggregateKey(spec) };
}
