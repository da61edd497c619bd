// The thin store of policies: apply (validate, then write a new immutable version when the text changed),
// list, read and diff versions. Prisma only; validation and diffing are the pure modules beside it.
import { createHash } from "node:crypto";
import type { AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { takeWriteLock } from "../db/write-lock";
import { AppError } from "../errors";
import { unifiedDiff } from "./diff-lines";
import { loadPolicy } from "./load-policy";
import { describeProblem } from "./parse-policy-file";
import { runExamples } from "./run-examples";

export interface AppliedPolicy {
  name: string;
  version: number;
  /** false when the text equals the latest version's: nothing was written. */
  created: boolean;
  sourceHash: string;
  ruleCount: number;
  examplesPassed: number;
}

export interface PolicyVersionSummary {
  version: number;
  sourceHash: string;
  ruleCount: number;
  author: string;
  createdAt: Date;
}

const MAX_LISTED_PROBLEMS = 10;

export function sourceHash(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}

/** Loads the policy and runs its examples; throws bad_request listing what is wrong. */
export function validateForApply(source: string, now: Date): { name: string; ruleCount: number; examplesPassed: number } {
  const loaded = loadPolicy(source);
  if (!loaded.ok) {
    const listed = loaded.problems.slice(0, MAX_LISTED_PROBLEMS).map(describeProblem);
    throw new AppError("bad_request", `The policy is not valid: ${listed.join("; ")}`);
  }
  const failed = runExamples(loaded.value.policy, now).filter((r) => !r.passed);
  if (failed.length) {
    const listed = failed.slice(0, MAX_LISTED_PROBLEMS).map((r) => `${r.name}: ${r.failures.join(", ")}`);
    throw new AppError("bad_request", `${failed.length} of the policy's examples fail (run 'policies test'): ${listed.join("; ")}`);
  }
  return { name: loaded.value.policy.name, ruleCount: loaded.value.policy.rules.length, examplesPassed: loaded.value.policy.examples.length };
}

/** Without `audit`, the entry names the author as a system actor (scripts and tests). */
export async function applyPolicy(
  db: Db, { projectId, source, author, now = new Date(), audit }: { projectId: string; source: string; author: string; now?: Date; audit?: AuditContext },
): Promise<AppliedPolicy> {
  const { name, ruleCount, examplesPassed } = validateForApply(source, now);
  const hash = sourceHash(source);
  try {
    return await auditedTransaction(db, async (tx) => {
      await takeWriteLock(tx);
      const policy = await tx.policy.upsert({ where: { projectId_name: { projectId, name } }, create: { projectId, name }, update: {} });
      if (policy.latestVersion > 0) {
        const latest = await tx.policyVersion.findUnique({ where: { policyId_version: { policyId: policy.id, version: policy.latestVersion } } });
        if (latest?.sourceHash === hash) return { name, version: latest.version, created: false, sourceHash: hash, ruleCount, examplesPassed };
      }
      const version = policy.latestVersion + 1;
      await tx.policyVersion.create({ data: { policyId: policy.id, projectId, version, source, sourceHash: hash, ruleCount, author: author.slice(0, 200) } });
      const moved = await tx.policy.updateMany({ where: { id: policy.id, latestVersion: policy.latestVersion }, data: { latestVersion: version } });
      if (moved.count !== 1) throw new AppError("conflict", concurrentApply(name));
      await appendAudit(tx, audit ?? { actor: { type: "system", id: null, name: author } }, {
        action: "policy.apply", target: { type: "policy", id: policy.id }, projectId, details: { name, version, sourceHash: hash, ruleCount },
      });
      return { name, version, created: true, sourceHash: hash, ruleCount, examplesPassed };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", concurrentApply(name));
    throw error;
  }
}

const concurrentApply = (name: string) => `Another apply of the policy '${name}' committed at the same time; apply again`;

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "P2002" || /Unique constraint|UNIQUE constraint failed|23505/.test(e?.message ?? "");
}

export async function listPolicies(db: Db, projectId: string) {
  const policies = await db.policy.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  const latest = await db.policyVersion.findMany({
    where: { OR: policies.map((p) => ({ policyId: p.id, version: p.latestVersion })) },
    select: { policyId: true, sourceHash: true, ruleCount: true, author: true, createdAt: true },
  });
  const byPolicy = new Map(latest.map((v) => [v.policyId, v]));
  return {
    policies: policies.map((p) => {
      const v = byPolicy.get(p.id);
      return { name: p.name, latestVersion: p.latestVersion, ruleCount: v?.ruleCount ?? 0, sourceHash: v?.sourceHash ?? null, appliedBy: v?.author ?? null, appliedAt: v?.createdAt ?? p.updatedAt, createdAt: p.createdAt };
    }),
  };
}

async function findPolicy(db: Db, projectId: string, name: string) {
  const policy = await db.policy.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!policy) throw new AppError("not_found", `No policy named '${name}' in this project`);
  return policy;
}

export async function listVersions(db: Db, projectId: string, name: string): Promise<{ name: string; versions: PolicyVersionSummary[] }> {
  const policy = await findPolicy(db, projectId, name);
  const versions = await db.policyVersion.findMany({
    where: { policyId: policy.id },
    orderBy: { version: "desc" },
    select: { version: true, sourceHash: true, ruleCount: true, author: true, createdAt: true },
  });
  return { name, versions };
}

/** One version with its text; `version` "latest" or a number. */
export async function getVersion(db: Db, { projectId, name, version }: { projectId: string; name: string; version: number | "latest" }) {
  const policy = await findPolicy(db, projectId, name);
  const number = version === "latest" ? policy.latestVersion : version;
  const row = await db.policyVersion.findUnique({ where: { policyId_version: { policyId: policy.id, version: number } } });
  if (!row) throw new AppError("not_found", `The policy '${name}' has no version ${number} (the latest is ${policy.latestVersion})`);
  return { name, version: row.version, source: row.source, sourceHash: row.sourceHash, ruleCount: row.ruleCount, author: row.author, createdAt: row.createdAt, latestVersion: policy.latestVersion };
}

/** The unified diff from version `from` to version `to` ("" when equal). */
export async function diffVersions(db: Db, { projectId, name, from, to }: { projectId: string; name: string; from: number | "latest"; to: number | "latest" }) {
  const [before, after] = await Promise.all([getVersion(db, { projectId, name, version: from }), getVersion(db, { projectId, name, version: to })]);
  const diff = unifiedDiff({ before: before.source, after: after.source, beforeLabel: `${name} v${before.version}`, afterLabel: `${name} v${after.version}` });
  return { name, from: before.version, to: after.version, diff };
}
