// The audit trail's store (Prisma). Appending serializes on the chain's head row (audit_chain, id 1): the
// first statement of an append increments the head's seq, which takes PostgreSQL's row lock (held to
// commit) or SQLite's write lock, so two appends can never take the same seq or chain to the same
// entry, and an entry's seq order is its commit order. Append last in a transaction: the lock is then
// held only for the insert and the commit, and nothing that waits on another lock runs while holding it.
// The entry commits with the action it records, or neither does.
import type { Db, Tx } from "../db";
import type { AuditContext, AuditEvent } from "./audit-actions";
import { canonicalJson, hashEntry, type ChainedEntry, type ChainedFields, type JsonValue } from "./audit-hash";
import { ChainVerifier, type ChainBounds, type VerifyResult } from "./verify-chain";

const HEAD_ID = 1;

/** Appends one entry in `tx`; returns its seq. `at` is for backdated test data; the default is the time of appending. */
export async function appendAudit(tx: Tx, context: AuditContext, event: AuditEvent, at?: Date): Promise<number> {
  const head = await tx.auditChain.update({ where: { id: HEAD_ID }, data: { seq: { increment: 1 } }, select: { seq: true, hash: true } });
  const fields: ChainedFields = {
    seq: Number(head.seq),
    at: (at ?? new Date()).toISOString(),
    actor: { type: context.actor.type, id: context.actor.id, name: context.actor.name?.slice(0, 320) ?? null },
    action: event.action,
    target: event.target ? { type: event.target.type, id: event.target.id } : null,
    projectId: event.projectId ?? null,
    details: JSON.parse(canonicalJson(event.details ?? {})) as JsonValue,
    ip: context.ip?.slice(0, 100) || null,
    userAgent: context.userAgent?.slice(0, 300) || null,
    prevHash: head.hash,
  };
  const hash = hashEntry(fields);
  await tx.auditEntry.create({ data: rowOf({ ...fields, hash }) });
  await tx.auditChain.update({ where: { id: HEAD_ID }, data: { hash } });
  return fields.seq;
}

/** An entry on its own (an action that changes nothing else, like a failed sign-in). */
export async function recordAudit(db: Db, context: AuditContext, event: AuditEvent): Promise<number> {
  return db.$transaction((tx) => appendAudit(tx, context, event));
}

/** An audit_entries row as Prisma reads and writes it. */
export interface AuditRow {
  seq: bigint;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  projectId: string | null;
  details: string;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
}

function rowOf(e: ChainedEntry): AuditRow {
  return {
    seq: BigInt(e.seq), at: new Date(e.at), actorType: e.actor.type, actorId: e.actor.id, actorName: e.actor.name, action: e.action,
    targetType: e.target?.type ?? null, targetId: e.target?.id ?? null, projectId: e.projectId, details: canonicalJson(e.details),
    ip: e.ip, userAgent: e.userAgent, prevHash: e.prevHash, hash: e.hash,
  };
}

/** A stored row as a chained entry; details that are no longer JSON stay text (and then fail their hash). */
export function entryOf(row: AuditRow): ChainedEntry {
  let details: JsonValue;
  try {
    details = JSON.parse(row.details) as JsonValue;
  } catch {
    details = row.details;
  }
  return {
    seq: Number(row.seq), at: row.at.toISOString(), actor: { type: row.actorType as ChainedEntry["actor"]["type"], id: row.actorId, name: row.actorName },
    action: row.action, target: row.targetType !== null && row.targetId !== null ? { type: row.targetType, id: row.targetId } : null,
    projectId: row.projectId, details, ip: row.ip, userAgent: row.userAgent, prevHash: row.prevHash, hash: row.hash,
  };
}

async function readBounds(tx: Tx | Db): Promise<ChainBounds> {
  const head = await tx.auditChain.findUniqueOrThrow({ where: { id: HEAD_ID } });
  return { anchorSeq: Number(head.anchorSeq), anchorHash: head.anchorHash, headSeq: Number(head.seq), headHash: head.hash };
}

const VERIFY_PAGE = 2_000;
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 60 * 60_000 };

/**
 * Walks the whole chain, from the retention anchor to the head, in one read snapshot (REPEATABLE READ on
 * PostgreSQL; a SQLite read transaction is one), so appends and prunes running meanwhile are not seen half done.
 */
export async function verifyStoredChain(db: Db, provider: "sqlite" | "postgresql"): Promise<VerifyResult & { bounds: ChainBounds }> {
  // Db is typed with the SQLite client, whose only level is Serializable; the PostgreSQL client takes RepeatableRead.
  const snapshot = provider === "postgresql" ? { isolationLevel: "RepeatableRead" as unknown as "Serializable" } : {};
  return db.$transaction(async (tx) => {
    const bounds = await readBounds(tx);
    const verifier = new ChainVerifier(bounds);
    let after = BigInt(bounds.anchorSeq);
    for (;;) {
      const rows = await tx.auditEntry.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: VERIFY_PAGE });
      if (rows.length === 0) break;
      if (rows.some((row) => verifier.push(entryOf(row)))) break;
      after = rows[rows.length - 1]!.seq;
    }
    return { ...verifier.finish(), bounds };
  }, { ...LONG_TRANSACTION, ...snapshot });
}

/** Calls `write` with each entry since `since`, in chain order, a page at a time. */
export async function exportAudit(db: Db, { since, write }: { since: Date; write: (entry: ChainedEntry) => void | Promise<void> }): Promise<number> {
  const first = await db.auditEntry.findFirst({ where: { at: { gte: since } }, orderBy: { at: "asc" }, select: { seq: true } });
  if (!first) return 0;
  let count = 0;
  let from = first.seq;
  for (;;) {
    const rows = await db.auditEntry.findMany({ where: { seq: { gte: from }, at: { gte: since } }, orderBy: { seq: "asc" }, take: VERIFY_PAGE });
    for (const row of rows) await write(entryOf(row));
    count += rows.length;
    if (rows.length < VERIFY_PAGE) return count;
    from = rows[rows.length - 1]!.seq + 1n;
  }
}
