// GET /api/v1/audit: entries newest first (sealed or just committed), filtered, with a keyset cursor on (at, id).
import type { Db } from "../db";
import { decodeTimeCursor, encodeTimeCursor } from "../queries/cursor";
import type { TAuditListQuery } from "./audit-schemas";
import { viewOf } from "./audit-row";

/** `projectId` null: every entry (instance admins), instance-wide ones such as sign-ins included. */
export async function listAuditEntries(db: Db, { projectId, query: q }: { projectId: string | null; query: TAuditListQuery }) {
  const after = q.cursor ? decodeTimeCursor(q.cursor) : null;
  const rows = await db.auditEntry.findMany({
    where: {
      ...(projectId !== null ? { projectId } : {}),
      ...(q.action ? (q.action.endsWith(".*") ? { action: { startsWith: q.action.slice(0, -1) } } : { action: q.action }) : {}),
      ...(q.actor ? { OR: [{ actorId: q.actor }, { actorName: q.actor }] } : {}),
      ...(q.since || q.until ? { at: { ...(q.since ? { gte: q.since } : {}), ...(q.until ? { lt: q.until } : {}) } } : {}),
      ...(after ? { AND: [{ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit).map(viewOf);
  const last = rows[q.limit - 1];
  return { entries: page, nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last.at, last.id) : null };
}
