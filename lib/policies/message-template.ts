// One-line rule messages with placeholders: "refund of {{args.amount}} exceeds the 500 limit for {{agent}}".
import { STRING_VARIABLES } from "./cel-environment";

type Part = string | { path: string[] };
export interface MessageTemplate {
  parts: Part[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ROOTS = new Set<string>([...STRING_VARIABLES, "args", "attributes", "context", "rule"]);
const MISSING = "(none)";

/** Compiles a template, or says which placeholder is wrong. */
export function compileMessage(template: string): MessageTemplate | string {
  const parts: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const path = m[1]!.split(".");
    if (!path.every((p) => p.length > 0) || !ROOTS.has(path[0]!)) {
      return `the placeholder {{${m[1]}}} must name ${[...ROOTS].join(", ")} or a field below args, attributes or context`;
    }
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ path });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return { parts };
}

/** Looks a path up in `values`; an attribute key may itself contain dots ("attributes.http.route"). */
function lookup(values: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = values;
  for (let i = 0; i < path.length; i++) {
    if (typeof current !== "object" || current === null) return undefined;
    const record = current as Record<string, unknown>;
    const rest = path.slice(i).join(".");
    if (i > 0 && rest in record) return record[rest];
    current = record[path[i]!];
  }
  return current;
}

function display(value: unknown): string {
  if (value === undefined || value === null || value === "") return MISSING;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function renderMessage(template: MessageTemplate, values: Record<string, unknown>): string {
  return template.parts.map((p) => (typeof p === "string" ? p : display(lookup(values, p.path)))).join("").slice(0, 1000);
}
