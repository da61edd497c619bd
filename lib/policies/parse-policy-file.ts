// YAML text → a validated PolicyDocument, or every problem found with its place in the file.
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { ZPolicyDocument, type PolicyDocument } from "./policy-schema";

export interface PolicyProblem {
  message: string;
  /** Where in the document, e.g. ["rules", 2, "condition"]. */
  path?: (string | number)[];
  line?: number;
  column?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: PolicyProblem[] };

const MAX_SOURCE_BYTES = 512 * 1024;

/** Line and column (1-based) of the node at `path`, or of its closest ancestor the document has. */
export function locate(doc: Document, lines: LineCounter, path: (string | number)[]): { line: number; column: number } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}

export function describeProblem(problem: PolicyProblem): string {
  const where = problem.line ? `line ${problem.line}, column ${problem.column}` : "";
  const path = problem.path?.length ? problem.path.join(".") : "";
  const prefix = [where, path].filter(Boolean).join(" ");
  return prefix ? `${prefix}: ${problem.message}` : problem.message;
}

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  document: PolicyDocument;
}

export function parsePolicyFile(source: string): Parsed<ParsedYaml> {
  if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) return { ok: false, problems: [{ message: `the policy file is larger than ${MAX_SOURCE_BYTES / 1024} KiB` }] };
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""), line: e.linePos?.[0].line, column: e.linePos?.[0].col })),
    };
  }
  const at = (path: (string | number)[], message: string): PolicyProblem => ({ message, path, ...locate(doc, lines, path) });
  const parsed = ZPolicyDocument.safeParse(doc.toJS({ maxAliasCount: 50 }));
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.slice(0, 20).map((i) => at(i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), zodMessage(i))) };
  }
  const problems = crossReferenceProblems(parsed.data).map((p) => at(p.path!, p.message));
  return problems.length ? { ok: false, problems } : { ok: true, value: { doc, lines, document: parsed.data } };
}

function zodMessage(issue: { code: string; message: string }): string {
  return issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? "is required" : issue.message;
}

function crossReferenceProblems(document: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const seen = new Map<string, number>();
  document.rules.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) problems.push({ path: ["rules", index, "id"], message: `rule id '${rule.id}' is already used by rule ${first + 1}` });
    else seen.set(rule.id, index);
  });
  document.examples?.forEach((example, index) => {
    example.matches?.forEach((id, at) => {
      if (!seen.has(id)) problems.push({ path: ["examples", index, "matches", at], message: `no rule has the id '${id}'` });
    });
  });
  return problems;
}
