// A policy file's text → a compiled policy, or every problem with its line and column.
import { compilePolicy, type CompiledPolicy } from "./compile-policy";
import { locate, parsePolicyFile, type Parsed } from "./parse-policy-file";
import type { PolicyDocument } from "./policy-schema";

export interface LoadedPolicy {
  document: PolicyDocument;
  policy: CompiledPolicy;
}

export function loadPolicy(source: string): Parsed<LoadedPolicy> {
  const parsed = parsePolicyFile(source);
  if (!parsed.ok) return parsed;
  const { doc, lines, document } = parsed.value;
  const compiled = compilePolicy(document);
  if (!compiled.ok) return { ok: false, problems: compiled.problems.map((p) => ({ ...p, ...(p.path ? locate(doc, lines, p.path) : {}) })) };
  return { ok: true, value: { document, policy: compiled.value } };
}
