// GET /api/v1/audit: entries newest first, filtered, with keyset pagination on seq.
import type { Db } from "../db";
import { decodeKeyCursor, encodeKeyCursor } from "../queries/cursor";
import type { TAuditListQuery } from "./audit-schemas";
import { entryOf } from "./audit-store";

const isSeqKey = (value: unknown): value is [number] => Array.isArray(value) && value.length === 1 && Number.isSafeInteger(value[0]) && (value[0] as number) > 0;

/** `projectId` null: every entry (instance admins), instance-wide ones such as sign-ins included. */
export async function listAuditEntries(db: Db, { projectId, query: q }: { projectId: string | null; query: TAuditListQuery }) {
  const before = q.cursor ? decodeKeyCursor(q.cursor, isSeqKey)[0] : null;
  const rows = await db.auditEntry.findMany({
    where: {
      ...(projectId !== null ? { projectId } : {}),
      ...(q.action ? (q.action.endsWith(".*") ? { action: { startsWith: q.action.slice(0, -1) } } : { action: q.action }) : {}),
      ...(q.actor ? { OR: [{ actorId: q.actor }, { actorName: q.actor }] } : {}),
      ...(q.since || q.until ? { at: { ...(q.since ? { gte: q.since } : {}), ...(q.until ? { lt: q.until } : {}) } } : {}),
      ...(before !== null ? { seq: { lt: BigInt(before) } } : {}),
    },
    orderBy: { seq: "desc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit).map(entryOf);
  const last = page.at(-1);
  return { entries: page, nextCursor: rows.length > q.limit && last ? encodeKeyCursor([last.seq]) : null };
}
