// Users of the agents (user.id, enduser.id, …): the traces that share a user id. A user's history has no end,
// so unlike a session's, the figures count the traces in the time range only.
import { z } from "zod";
import type { RawDb } from "../db";
import { sql } from "../db/sql";
import { groupFigures, type GroupFigures } from "./group-figures";
import { pageOfGroups } from "./latest-per-group";
import { ZTimeRangeQuery, msToNs, resolveTimeRange } from "./time-range";

export const ZUserListQuery = ZTimeRangeQuery.extend({
  /** Users whose id starts with this (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TUserListQuery = z.infer<typeof ZUserListQuery>;

export type UserSummary = Omit<GroupFigures, "userId"> & { userId: string };

/** Users with a trace in the time range, latest activity first, with their figures in the range. */
export async function listTraceUsers(raw: RawDb, projectId: string, query: TUserListQuery, nowMs: number) {
  const range = resolveTimeRange(query, nowMs);
  const page = await pageOfGroups(raw, { projectId, column: "userId", range, idPrefix: query.q, cursor: query.cursor, limit: query.limit });
  const inRange = [sql`"startNs" >= ${msToNs(range.fromMs)}`, sql`"startNs" < ${msToNs(range.toMs)}`];
  const figures = await groupFigures(raw, { projectId, column: "userId", ids: page.ids, where: inRange });
  const items: UserSummary[] = page.ids.flatMap((userId) => {
    const f = figures.get(userId);
    return f ? [{ ...f, userId }] : [];
  });
  return { items, nextCursor: page.nextCursor, range };
}
