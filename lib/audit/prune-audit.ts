// The audit retention (ARGUS_AUDIT_RETENTION_DAYS; unset keeps the trail forever): removes the oldest
// sealed entries, a batch per transaction. The removed entries are checked first (a tampered stretch is
// never pruned away: the prune stops and says where), the last one becomes the chain's anchor, and an
// audit.prune entry recording the anchor is appended and sealed in the same transaction, so `audit verify`
// still passes and can tell a prune from a deletion.
import { dialectOf, type Db } from "../db";
import { SYSTEM_CONTEXT } from "./audit-actions";
import { appendAudit } from "./audit-store";
import { entryOf } from "./audit-row";
import { lockChainHead, sealLocked } from "./seal-audit";
import { ChainVerifier, type ChainProblem } from "./verify-chain";

export type PruneResult = { pruned: number; problem?: undefined } | { pruned: 0; problem: ChainProblem };

/** Removes at most `batch` sealed entries older than `before`, oldest first; call again until it prunes 0. */
export async function pruneAuditBatch(db: Db, { before, batch }: { before: Date; batch: number }): Promise<PruneResult> {
  return db.$transaction(async (tx) => {
    const head = await lockChainHead(tx);
    const rows = await tx.auditEntry.findMany({ where: { seq: { gt: head.anchorSeq } }, orderBy: { seq: "asc" }, take: batch });
    const expired = rows.slice(0, firstKept(rows.map((r) => r.at), before));
    if (expired.length === 0) return { pruned: 0 };
    const verifier = new ChainVerifier({ anchorSeq: Number(head.anchorSeq), anchorHash: head.anchorHash, headSeq: null, headHash: null });
    for (const row of expired) {
      const problem = verifier.push(entryOf(row));
      if (problem) return { pruned: 0, problem };
    }
    const last = expired[expired.length - 1]!;
    await tx.auditEntry.deleteMany({ where: { seq: { gt: head.anchorSeq, lte: last.seq! } } });
    await tx.auditChain.update({ where: { id: 1 }, data: { anchorSeq: last.seq!, anchorHash: last.hash! } });
    await appendAudit(tx, SYSTEM_CONTEXT, {
      action: "audit.prune",
      details: { throughSeq: Number(last.seq), anchorHash: last.hash, count: expired.length, before: before.toISOString() },
    });
    // Every pending entry, this prune's record included: the chain never shows an anchor its record does not.
    while ((await sealLocked(tx, { head: await tx.auditChain.findUniqueOrThrow({ where: { id: 1 } }), dialect: dialectOf(db) })) > 0);
    return { pruned: expired.length };
  }, { maxWait: 10_000, timeout: 60_000 });
}

/** The index of the first entry to keep: entries go only from the start of the chain, up to the first recent one. */
export function firstKept(times: readonly Date[], before: Date): number {
  const index = times.findIndex((at) => at.getTime() >= before.getTime());
  return index === -1 ? times.length : index;
}
