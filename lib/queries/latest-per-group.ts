// Pages of sessions or users, latest activity first. Each group is represented by its latest trace in the
// time range: the query walks the traces newest first and keeps a trace only when no later trace of its
// group is in the range. The walk reads the (projectId, startNs) index backwards and stops after one page;
// each check is one seek in the (projectId, sessionId|userId, startNs) index. A GROUP BY would aggregate
// every group of the range on every page.
import type { RawDb } from "../db";
import { executorFor } from "../db/executor";
import { ident, ilike, join, prefixPattern, sql, type Sql } from "../db/sql";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { msToNs, type TimeRange } from "./time-range";

export type GroupColumn = "sessionId" | "userId";

export interface GroupPageQuery {
  projectId: string;
  column: GroupColumn;
  range: TimeRange;
  /** Only groups whose id starts with this text (case-insensitive). */
  idPrefix?: string;
  /** Only this user's traces: the sessions of one user. */
  userId?: string;
  cursor?: string;
  limit: number;
}

export interface GroupPage {
  /** Group ids, latest activity first. */
  ids: string[];
  nextCursor: string | null;
}

function cursorKey(cursor: string): [bigint, string] {
  const [startNs, id] = decodeCursor(cursor);
  if (typeof startNs !== "string" || !/^\d{1,19}$/.test(startNs)) {
    throw new AppError("bad_request", "Invalid cursor for this list; pass the nextCursor value of the previous page unchanged");
  }
  return [BigInt(startNs), id];
}

export async function pageOfGroups(raw: RawDb, q: GroupPageQuery): Promise<GroupPage> {
  const key = ident(q.column, "t");
  const later = ident(q.column, "later");
  const toNs = msToNs(q.range.toMs);
  const sameTraces = (alias: string): Sql[] => (q.userId ? [sql`${ident("userId", alias)} = ${q.userId}`] : []);
  const where: Sql[] = [
    sql`t."projectId" = ${q.projectId}`,
    sql`t."startNs" >= ${msToNs(q.range.fromMs)}`,
    sql`t."startNs" < ${toNs}`,
    sql`${key} IS NOT NULL`,
    ...sameTraces("t"),
  ];
  if (q.idPrefix) where.push(ilike(key, prefixPattern(q.idPrefix)));
  if (q.cursor) {
    const [startNs, id] = cursorKey(q.cursor);
    where.push(sql`t."startNs" <= ${startNs}`, sql`(t."startNs" < ${startNs} OR ${key} < ${id})`);
  }
  const laterWhere: Sql[] = [
    sql`later."projectId" = t."projectId"`,
    sql`${later} = ${key}`,
    sql`later."startNs" >= t."startNs"`,
    sql`later."startNs" < ${toNs}`,
    sql`(later."startNs" > t."startNs" OR later."traceId" > t."traceId")`,
    ...sameTraces("later"),
  ];
  const rows = await executorFor(raw).all<{ id: string; startNs: string | number }>(sql`
    SELECT ${key} AS "id", t."startNs" AS "startNs" FROM traces t
    WHERE ${join(where, " AND ")} AND NOT EXISTS (SELECT 1 FROM traces later WHERE ${join(laterWhere, " AND ")})
    ORDER BY t."startNs" DESC, ${key} DESC LIMIT ${q.limit + 1}`);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    ids: page.map((r) => String(r.id)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([String(last.startNs), String(last.id)]) : null,
  };
}
