// The decision point's shell: load the applied policies, fetch the aggregates their matching rules need
// from earlier decisions, evaluate, and store the decision in the same transaction, so a decision is
// committed before anyone is answered. Reading the aggregates and inserting are serialized per agent (or
// user) the aggregates group by, so two concurrent "fourth refunds" of one agent cannot both see three.
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { takeWriteLock } from "../db/write-lock";
import type { AggregateSpec } from "../policies/cel-environment";
import type { CompiledPolicy } from "../policies/compile-policy";
import { evaluateNormalized, type AggregateLookup } from "../policies/evaluate-policy";
import { normalizeAction, type NormalizedAction } from "../policies/policy-action";
import type { Decision } from "../policies/policy-schema";
import { loadAppliedPolicies } from "./applied-policies";
import { combineEvaluations, type NamedEvaluation } from "./combine-evaluations";
import type { DecisionAnswer, DecisionReason, DecisionRequest, PolicyVersionRef } from "./decision-schemas";
import { aggregateLockKeys, aggregateOver, aggregateQuery } from "./window-aggregates";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function decide(
  db: Db, { projectId, request, now = new Date(), audit = SYSTEM_CONTEXT }: { projectId: string; request: DecisionRequest; now?: Date; audit?: AuditContext },
): Promise<DecisionAnswer> {
  const applied = (await loadAppliedPolicies(db, projectId)).map(({ version, policy }) => ({ version, policy, action: normalizeAction(request, policy.declarations) }));
  const lockKeys = aggregateLockKeys(applied.flatMap(({ policy, action }) => policy.rules.map((rule) => ({ rule, action }))));
  const decided = auditedTransaction(db, async (tx) => {
    if (lockKeys.length) await lockGroups(tx, { projectId, keys: lockKeys });
    const evaluations: NamedEvaluation[] = [];
    for (const { version, policy, action } of applied) {
      const aggregates = await fetchAggregates(tx, { projectId, policy, action, now });
      evaluations.push({ policy: version.name, riskThreshold: policy.riskThreshold, evaluation: evaluateNormalized({ policy, action, now, aggregates }) });
    }
    const combined = combineEvaluations(evaluations);
    const row = await tx.decision.create({
      data: {
        projectId, agent: request.agent, tool: request.tool, args: JSON.stringify(request.args), user: request.user ?? null, session: request.session ?? null,
        service: request.service ?? null, model: request.model ?? null, decision: combined.decision, risk: combined.risk,
        reasons: JSON.stringify(combined.reasons), flags: JSON.stringify(combined.flags), policyVersions: JSON.stringify(applied.map((a) => a.version)), createdAt: now,
      },
    });
    await appendAudit(tx, audit, {
      action: "decision.create", target: { type: "decision", id: row.id }, projectId,
      details: { agent: request.agent, tool: request.tool, decision: combined.decision, risk: combined.risk, rules: combined.reasons.flatMap((r) => (r.rule ? [`${r.policy}/${r.rule}`] : [])) },
    });
    return answerOf(row);
  });
  return decided.catch((error: unknown) => {
    // P2028: the transaction did not start in time (every connection busy with decisions waiting for the same groups).
    if ((error as { code?: string } | null)?.code === "P2028") throw new AppError("unavailable", "Too many decisions are waiting for the same agent or user; retry shortly", { "Retry-After": "1" });
    throw error;
  });
}

export async function getDecision(db: Db, { projectId, id }: { projectId: string; id: string }): Promise<DecisionAnswer> {
  const row = await db.decision.findFirst({ where: { id, projectId } });
  if (!row) throw new AppError("not_found", "No such decision in this project");
  return answerOf(row);
}

/** SQLite: the database write lock (taken now, not at the insert). PostgreSQL: transaction-scoped advisory locks per group, in sorted order (no deadlock). */
async function lockGroups(tx: Tx, { projectId, keys }: { projectId: string; keys: readonly string[] }): Promise<void> {
  if (getEnv().databaseProvider !== "postgresql") return takeWriteLock(tx);
  for (const key of keys) await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked`, `decisions:${projectId}:${key}`);
}

/** The earlier-decision aggregates of every rule that matches the action, keyed by rule and aggregate. */
async function fetchAggregates(tx: Tx, { projectId, policy, action, now }: { projectId: string; policy: CompiledPolicy; action: NormalizedAction; now: Date }): Promise<AggregateLookup> {
  const values = new Map<string, number>();
  const keyOf = (ruleId: string, spec: AggregateSpec) => `${ruleId}\u0000${spec.key}`;
  for (const rule of policy.rules) {
    if (rule.aggregates.length === 0 || !rule.matches(action)) continue;
    for (const spec of rule.aggregates) {
      const query = aggregateQuery({ rule, spec, action, now });
      if (!query) {
        values.set(keyOf(rule.id, spec), 0);
        continue;
      }
      const rows = await tx.decision.findMany({
        where: { projectId, [query.by]: query.value, createdAt: { gte: query.since }, ...(query.tools ? { tool: { in: query.tools } } : {}) },
        select: { agent: true, tool: true, user: true, service: true, model: true, args: spec.fn === "sum" },
      });
      values.set(keyOf(rule.id, spec), aggregateOver({ rule, spec, rows: rows.map((r) => ({ ...r, args: r.args ?? "{}" })) }));
    }
  }
  return (ruleId, spec) => values.get(keyOf(ruleId, spec));
}

interface DecisionRow {
  id: string;
  decision: string;
  risk: number;
  reasons: string;
  flags: string;
  policyVersions: string;
  createdAt: Date;
}

function answerOf(row: DecisionRow): DecisionAnswer {
  const versions = JSON.parse(row.policyVersions) as PolicyVersionRef[];
  return {
    id: row.id,
    decision: row.decision as Decision,
    risk: row.risk,
    reasons: JSON.parse(row.reasons) as DecisionReason[],
    flags: JSON.parse(row.flags) as DecisionReason[],
    policyVersion: versions.length ? versions.map((v) => `${v.name}@${v.version}`).join(", ") : null,
    createdAt: row.createdAt.toISOString(),
  };
}
