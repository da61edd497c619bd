// The audit trail's store (Prisma). Recording is two steps, so that actions never queue behind one lock:
//   1. appendAudit inserts the entry in the transaction of the action it records: the entry commits with
//      the action, or neither does. Inserts run side by side; nothing is locked.
//   2. Sealing (seal-audit.ts) gives the entries their place in the one chain: seq, prevHash and hash, a
//      batch at a time under the chain head's lock (on PostgreSQL after the commit; see auditedTransaction).
// On PostgreSQL, a lock held through each action's commit would cap every audited action, decisions
// included, at one commit at a time (about 4 ms each here: ~240 decisions/s); sealing pays that once per batch.
import { dialectOf, type Db, type Tx } from "../db";
import type { AuditContext, AuditEvent } from "./audit-actions";
import { canonicalJson, type ChainedEntry } from "./audit-hash";
import { entryOf } from "./audit-row";
import { lockChainHead, sealLocked, sealPending, sealSoon } from "./seal-audit";
import { ChainVerifier, type ChainBounds, type VerifyResult } from "./verify-chain";

/** Inserts one (unsealed) entry in `tx`; returns its id. `at` is for backdated test data; the default is now. */
export async function appendAudit(tx: Tx, context: AuditContext, event: AuditEvent, at?: Date): Promise<string> {
  const row = await tx.auditEntry.create({
    data: {
      at: at ?? new Date(), actorType: context.actor.type, actorId: context.actor.id, actorName: context.actor.name?.slice(0, 320) ?? null,
      action: event.action, targetType: event.target?.type ?? null, targetId: event.target?.id ?? null, projectId: event.projectId ?? null,
      details: canonicalJson(event.details ?? {}), ip: context.ip?.slice(0, 100) || null, userAgent: context.userAgent?.slice(0, 300) || null,
    },
    select: { id: true },
  });
  return row.id;
}

/** A burst of actions queues for the connection (Prisma's SQLite client runs one transaction at a time): wait up to 10 s, not 2. */
const ACTION_TRANSACTION = { maxWait: 10_000 };

/**
 * Runs an action's transaction (which calls appendAudit) and has its entry sealed. PostgreSQL: soon after
 * the commit, in a batch. SQLite: before the commit, in the same transaction, since it already holds the
 * database's one write lock; a second write transaction per action would only contend for it (and, from the
 * same process, block the event loop in better-sqlite3's busy wait while a raw connection writes).
 */
export async function auditedTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "sqlite") {
    return db.$transaction(async (tx) => {
      const result = await fn(tx);
      await sealLocked(tx, { head: await lockChainHead(tx), dialect: "sqlite" });
      return result;
    }, ACTION_TRANSACTION);
  }
  const result = await db.$transaction(fn, ACTION_TRANSACTION);
  sealSoon(db);
  return result;
}

/** An entry on its own (an action that changes nothing else, like a failed sign-in). */
export async function recordAudit(db: Db, context: AuditContext, event: AuditEvent): Promise<string> {
  return auditedTransaction(db, (tx) => appendAudit(tx, context, event));
}

export async function readBounds(tx: Tx | Db): Promise<ChainBounds> {
  const head = await tx.auditChain.findUniqueOrThrow({ where: { id: 1 } });
  return { anchorSeq: Number(head.anchorSeq), anchorHash: head.anchorHash, headSeq: Number(head.seq), headHash: head.hash };
}

const PAGE = 2_000;
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 60 * 60_000 };

/**
 * Seals what is pending, then walks the whole chain, from the retention anchor to the head, in one read
 * snapshot (REPEATABLE READ on PostgreSQL; a SQLite read transaction is one), so seals and prunes running
 * meanwhile are not seen half done. `unsealed`: entries committed since, not yet in the chain.
 */
export async function verifyStoredChain(db: Db, provider: "sqlite" | "postgresql"): Promise<VerifyResult & { bounds: ChainBounds; unsealed: number }> {
  await sealPending(db);
  // Db is typed with the SQLite client, whose only level is Serializable; the PostgreSQL client takes RepeatableRead.
  const snapshot = provider === "postgresql" ? { isolationLevel: "RepeatableRead" as unknown as "Serializable" } : {};
  return db.$transaction(async (tx) => {
    const bounds = await readBounds(tx);
    const verifier = new ChainVerifier(bounds);
    let after = BigInt(bounds.anchorSeq);
    for (;;) {
      const rows = await tx.auditEntry.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: PAGE });
      if (rows.length === 0) break;
      if (rows.some((row) => verifier.push(entryOf(row)))) break;
      after = rows[rows.length - 1]!.seq!;
    }
    const unsealed = await tx.auditEntry.count({ where: { seq: null } });
    return { ...verifier.finish(), bounds, unsealed };
  }, { ...LONG_TRANSACTION, ...snapshot });
}

/** Seals what is pending, then calls `write` with each sealed entry since `since`, in chain order, a page at a time. */
export async function exportAudit(db: Db, { since, write }: { since: Date; write: (entry: ChainedEntry) => void | Promise<void> }): Promise<number> {
  await sealPending(db);
  let count = 0;
  let after = -1n;
  for (;;) {
    const rows = await db.auditEntry.findMany({ where: { seq: { gt: after }, at: { gte: since } }, orderBy: { seq: "asc" }, take: PAGE });
    for (const row of rows) await write(entryOf(row));
    count += rows.length;
    if (rows.length < PAGE) return count;
    after = rows[rows.length - 1]!.seq!;
  }
}
