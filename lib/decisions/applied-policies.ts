// The latest applied version of every policy of a project, compiled. Compiling is the expensive part, so
// compiled policies are cached by the sha256 of their text: a decision reads two small rows per policy
// and the text only of a version this process has not compiled yet.
import type { Db } from "../db";
import { AppError } from "../errors";
import type { CompiledPolicy } from "../policies/compile-policy";
import { loadPolicy } from "../policies/load-policy";
import type { PolicyVersionRef } from "./decision-schemas";

export interface AppliedPolicy {
  version: PolicyVersionRef;
  policy: CompiledPolicy;
}

const MAX_CACHED = 500;
const compiledByHash = new Map<string, CompiledPolicy>();

function remember(hash: string, policy: CompiledPolicy): void {
  if (compiledByHash.size >= MAX_CACHED) compiledByHash.delete(compiledByHash.keys().next().value!);
  compiledByHash.set(hash, policy);
}

/** How many compiled policies are cached (for tests). */
export const cachedPolicyCount = (): number => compiledByHash.size;

export async function loadAppliedPolicies(db: Db, projectId: string): Promise<AppliedPolicy[]> {
  const policies = await db.policy.findMany({ where: { projectId, latestVersion: { gt: 0 } }, select: { id: true, name: true, latestVersion: true }, orderBy: { name: "asc" } });
  if (policies.length === 0) return [];
  const versions = await db.policyVersion.findMany({
    where: { OR: policies.map((p) => ({ policyId: p.id, version: p.latestVersion })) },
    select: { id: true, policyId: true, version: true, sourceHash: true },
  });
  const missing = versions.filter((v) => !compiledByHash.has(v.sourceHash));
  if (missing.length) {
    const sources = await db.policyVersion.findMany({ where: { id: { in: missing.map((v) => v.id) } }, select: { sourceHash: true, source: true } });
    for (const { sourceHash, source } of sources) remember(sourceHash, compileStored(source));
  }
  const versionOf = new Map(versions.map((v) => [v.policyId, v]));
  return policies.flatMap((p) => {
    const v = versionOf.get(p.id);
    const policy = v && compiledByHash.get(v.sourceHash);
    return v && policy ? [{ version: { id: v.id, name: p.name, version: v.version }, policy }] : [];
  });
}

/** Applied versions were valid when applied; one that no longer loads (an incompatible upgrade) must not be ignored silently. */
function compileStored(source: string): CompiledPolicy {
  const loaded = loadPolicy(source);
  if (!loaded.ok) throw new AppError("internal", `An applied policy no longer loads: ${loaded.problems[0]?.message ?? "unknown problem"}; apply a corrected version`);
  return loaded.value.policy;
}
