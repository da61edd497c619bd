// Sessions (conversations): the traces that share a session id (session.id, gen_ai.conversation.id, …).
// The list pages sessions by their latest turn in the time range and shows each whole conversation's figures;
// the detail reads the turns in order, each with what the user asked and what the agent answered.
import { z } from "zod";
import type { RawDb } from "../db";
import { executorFor } from "../db/executor";
import { join, sql, type Sql } from "../db/sql";
import { toNumber } from "../db/sql-values";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { groupFigures, type GroupFigures } from "./group-figures";
import { pageOfGroups } from "./latest-per-group";
import { TRACE_LIST_COLUMNS, toTraceListItem } from "./list-traces";
import { ZTimeRangeQuery, resolveTimeRange } from "./time-range";
import { readTurnSummaries } from "./turn-summaries";

const id = z.string().trim().min(1).max(500);

export const ZSessionListQuery = ZTimeRangeQuery.extend({
  /** Sessions whose id starts with this (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
  userId: id.optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TSessionListQuery = z.infer<typeof ZSessionListQuery>;

export const ZSessionTurnsQuery = z.object({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type TSessionTurnsQuery = z.infer<typeof ZSessionTurnsQuery>;

export type SessionSummary = GroupFigures & { sessionId: string };

/** Sessions with a turn in the time range, latest first; figures count every turn of the session. */
export async function listTraceSessions(raw: RawDb, projectId: string, query: TSessionListQuery, nowMs: number) {
  const range = resolveTimeRange(query, nowMs);
  const page = await pageOfGroups(raw, { projectId, column: "sessionId", range, idPrefix: query.q, userId: query.userId, cursor: query.cursor, limit: query.limit });
  const figures = await groupFigures(raw, { projectId, column: "sessionId", ids: page.ids });
  const items: SessionSummary[] = page.ids.flatMap((sessionId) => {
    const f = figures.get(sessionId);
    return f ? [{ sessionId, ...f }] : [];
  });
  return { items, nextCursor: page.nextCursor, range };
}

function turnCursor(cursor: string): [bigint, string] {
  const [startNs, traceId] = decodeCursor(cursor);
  if (typeof startNs !== "string" || !/^\d{1,19}$/.test(startNs)) {
    throw new AppError("bad_request", "Invalid cursor for the turns of a session; pass the nextCursor value of the previous page unchanged");
  }
  return [BigInt(startNs), traceId];
}

/** One session: its figures and its turns (traces) in time order, each with its input and output. */
export async function getTraceSession(raw: RawDb, projectId: string, sessionId: string, query: TSessionTurnsQuery) {
  const session = (await groupFigures(raw, { projectId, column: "sessionId", ids: [sessionId] })).get(sessionId);
  if (!session) throw new AppError("not_found", `No session with id ${sessionId} in this project; pick one from GET /api/v1/sessions`);
  const ex = executorFor(raw);
  const where: Sql[] = [sql`"projectId" = ${projectId}`, sql`"sessionId" = ${sessionId}`];
  let earlierTurns = 0;
  if (query.cursor) {
    const [startNs, traceId] = turnCursor(query.cursor);
    where.push(sql`"startNs" >= ${startNs}`, sql`("startNs" > ${startNs} OR "traceId" > ${traceId})`);
    const earlier = await ex.one(sql`SELECT COUNT(*) AS "n" FROM traces WHERE "projectId" = ${projectId} AND "sessionId" = ${sessionId}
      AND "startNs" <= ${startNs} AND ("startNs" < ${startNs} OR "traceId" <= ${traceId})`);
    earlierTurns = toNumber(earlier?.n);
  }
  const rows = await ex.all(sql`SELECT ${TRACE_LIST_COLUMNS} FROM traces WHERE ${join(where, " AND ")}
    ORDER BY "startNs" ASC, "traceId" ASC LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const summaries = await readTurnSummaries(raw, projectId, page.map((r) => String(r.traceId)));
  const last = page.at(-1);
  return {
    session: { sessionId, ...session },
    turns: page.map((row, i) => {
      const trace = toTraceListItem(row);
      return { turn: earlierTurns + i + 1, ...trace, ...(summaries.get(trace.traceId) ?? { input: [], output: [] }) };
    }),
    nextCursor: rows.length > query.limit && last ? encodeCursor([String(last.startNs), String(last.traceId)]) : null,
  };
}
