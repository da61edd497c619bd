// Trace list read model: filters, sorting and keyset pagination over the traces table (raw SQL, both dialects).
import { z } from "zod";
import type { RawDb } from "../db";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { executorFor } from "../db/executor";
import { containsPattern, ilike, join, verbatim, sql, type Sql } from "../db/sql";
import { toNumber } from "../db/sql-values";
import { ZTimeRangeQuery, msToNs, nsToMs, resolveTimeRange } from "./time-range";

export const TRACE_SORTS = { start: '"startNs"', duration: '"durationMs"', cost: '"costUsd"', score: 'COALESCE("anomalyScore", -1)', spans: '"spanCount"' } as const;
/** The columns toTraceListItem reads. */
export const TRACE_LIST_COLUMNS = sql`"traceId", "name", "service", "agent", "sessionId", "userId", "startNs", "durationMs", "spanCount", "errorCount", "inputTokens", "outputTokens",
      "costUsd", "containerInputTokens", "containerOutputTokens", "containerCostUsd", "anomalyScore", "anomalyCount"`;
export type TraceSort = keyof typeof TRACE_SORTS;

export const ZTraceListQuery = ZTimeRangeQuery.extend({
  service: z.string().trim().min(1).optional(),
  agent: z.string().trim().min(1).optional(),
  model: z.string().trim().min(1).optional(),
  status: z.enum(["ok", "error"]).optional(),
  minScore: z.coerce.number().min(0).optional(),
  sessionId: z.string().trim().min(1).max(500).optional(),
  userId: z.string().trim().min(1).max(500).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(Object.keys(TRACE_SORTS) as [TraceSort, ...TraceSort[]]).default("start"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TTraceListQuery = z.infer<typeof ZTraceListQuery>;

export interface TraceListItem {
  traceId: string;
  name: string | null;
  service: string | null;
  agent: string | null;
  sessionId: string | null;
  userId: string | null;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  anomalyScore: number | null;
  anomalyCount: number;
}

/** The cursor's sort value as the column's type; a cursor made for another sort, or forged, is a 400. */
function cursorSortValue(value: number | string, sort: TraceSort): bigint | number {
  if (sort === "start") {
    if (/^\d{1,19}$/.test(String(value))) return BigInt(value);
  } else if (Number.isFinite(Number(value))) return Number(value);
  throw new AppError("bad_request", "Invalid cursor for this sort order; use the nextCursor value returned by the previous page");
}

function sortValue(row: Record<string, unknown>, sort: TraceSort): number | string {
  switch (sort) {
    case "start":
      return String(row.startNs);
    case "score":
      return row.anomalyScore === null ? -1 : toNumber(row.anomalyScore);
    case "duration":
      return toNumber(row.durationMs);
    case "cost":
      return toNumber(row.costUsd);
    case "spans":
      return toNumber(row.spanCount);
  }
}

export async function listTraces(raw: RawDb, projectId: string, query: TTraceListQuery, nowMs: number) {
  const range = resolveTimeRange(query, nowMs);
  const where: Sql[] = [sql`"projectId" = ${projectId}`, sql`"startNs" >= ${msToNs(range.fromMs)}`, sql`"startNs" < ${msToNs(range.toMs)}`];
  if (query.service) where.push(sql`"service" = ${query.service}`);
  if (query.agent) where.push(sql`"agent" = ${query.agent}`);
  if (query.status === "error") where.push(sql`"errorCount" > 0`);
  if (query.status === "ok") where.push(sql`"errorCount" = 0`);
  if (query.minScore !== undefined) where.push(sql`"anomalyScore" >= ${query.minScore}`);
  if (query.sessionId) where.push(sql`"sessionId" = ${query.sessionId}`);
  if (query.userId) where.push(sql`"userId" = ${query.userId}`);
  if (query.q) {
    const like = containsPattern(query.q);
    where.push(sql`(${ilike(sql`"name"`, like)} OR ${ilike(sql`"agent"`, like)} OR "traceId" = ${query.q.toLowerCase()})`);
  }
  if (query.model) {
    where.push(sql`EXISTS (SELECT 1 FROM spans s WHERE s."projectId" = traces."projectId" AND s."traceId" = traces."traceId" AND s."model" = ${query.model})`);
  }
  const column = verbatim(TRACE_SORTS[query.sort]);
  const op = verbatim(query.dir === "desc" ? "<" : ">");
  if (query.cursor) {
    const [value, traceId] = decodeCursor(query.cursor);
    const v = cursorSortValue(value, query.sort);
    where.push(sql`(${column} ${op} ${v} OR (${column} = ${v} AND "traceId" ${op} ${traceId}))`);
  }
  const dir = verbatim(query.dir.toUpperCase());
  const rows = await executorFor(raw).all(sql`SELECT ${TRACE_LIST_COLUMNS} FROM traces WHERE ${join(where, " AND ")}
    ORDER BY ${column} ${dir}, "traceId" ${dir} LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toTraceListItem),
    nextCursor: rows.length > query.limit && last ? encodeCursor([sortValue(last, query.sort), String(last.traceId)]) : null,
    range,
  };
}

export function toTraceListItem(row: Record<string, unknown>): TraceListItem {
  const llmTokens = toNumber(row.inputTokens) + toNumber(row.outputTokens);
  const useContainer = llmTokens === 0 && toNumber(row.costUsd) === 0;
  const inputTokens = toNumber(useContainer ? row.containerInputTokens : row.inputTokens);
  const outputTokens = toNumber(useContainer ? row.containerOutputTokens : row.outputTokens);
  return {
    traceId: String(row.traceId),
    name: (row.name as string | null) ?? null,
    service: (row.service as string | null) ?? null,
    agent: (row.agent as string | null) ?? null,
    sessionId: (row.sessionId as string | null) ?? null,
    userId: (row.userId as string | null) ?? null,
    startMs: nsToMs(row.startNs as string | number),
    durationMs: toNumber(row.durationMs),
    spanCount: toNumber(row.spanCount),
    errorCount: toNumber(row.errorCount),
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: toNumber(useContainer ? row.containerCostUsd : row.costUsd),
    anomalyScore: row.anomalyScore === null || row.anomalyScore === undefined ? null : toNumber(row.anomalyScore),
    anomalyCount: toNumber(row.anomalyCount),
  };
}

/** Distinct values for the filter dropdowns (services, agents, models) seen in the last days. */
export async function listTraceFacets(raw: RawDb, projectId: string, sinceMs: number) {
  const rows = await executorFor(raw).all<{ service: string; agent: string; model: string }>(
    sql`SELECT DISTINCT "service", "agent", "model" FROM span_rollups WHERE "projectId" = ${projectId} AND "minuteMs" >= ${BigInt(sinceMs)}`,
  );
  const uniq = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  return { services: uniq(rows.map((r) => r.service)), agents: uniq(rows.map((r) => r.agent)), models: uniq(rows.map((r) => r.model)) };
}
