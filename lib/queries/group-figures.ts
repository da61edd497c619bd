// The figures of a group of traces (a session, a user): turns, usage, errors, anomalies, first and last seen.
import type { RawDb } from "../db";
import { executorFor } from "../db/executor";
import { ident, inList, join, sql, type Sql } from "../db/sql";
import { numberOrNull, toNumber } from "../db/sql-values";
import type { GroupColumn } from "./latest-per-group";
import { nsToMs } from "./time-range";
import { traceCostUsd, traceInputTokens, traceOutputTokens } from "./trace-usage";

export interface GroupFigures {
  traceCount: number;
  /** Traces with at least one failed span. */
  errorTraces: number;
  anomalyCount: number;
  maxAnomalyScore: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Start of the first trace. */
  firstSeenMs: number;
  /** End of the last trace. */
  lastSeenMs: number;
  /** From the start of the first trace to the end of the last. */
  durationMs: number;
  /** Distinct sessions among the traces. */
  sessionCount: number;
  /** A user of the traces (a session normally has one). */
  userId: string | null;
}

const FIGURES = sql`COUNT(*) AS "traceCount", SUM(CASE WHEN "errorCount" > 0 THEN 1 ELSE 0 END) AS "errorTraces",
  SUM("anomalyCount") AS "anomalyCount", MAX("anomalyScore") AS "maxAnomalyScore",
  SUM(${traceInputTokens}) AS "inputTokens", SUM(${traceOutputTokens}) AS "outputTokens", SUM(${traceCostUsd}) AS "costUsd",
  MIN("startNs") AS "firstStartNs", MAX("endNs") AS "lastEndNs", COUNT(DISTINCT "sessionId") AS "sessionCount", MAX("userId") AS "userId"`;

function toGroupFigures(row: Record<string, unknown>): GroupFigures {
  const inputTokens = toNumber(row.inputTokens);
  const outputTokens = toNumber(row.outputTokens);
  const firstSeenMs = nsToMs(row.firstStartNs as string | number);
  const lastSeenMs = nsToMs(row.lastEndNs as string | number);
  return {
    traceCount: toNumber(row.traceCount),
    errorTraces: toNumber(row.errorTraces),
    anomalyCount: toNumber(row.anomalyCount),
    maxAnomalyScore: numberOrNull(row.maxAnomalyScore),
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: toNumber(row.costUsd),
    firstSeenMs,
    lastSeenMs,
    durationMs: Math.max(0, lastSeenMs - firstSeenMs),
    sessionCount: toNumber(row.sessionCount),
    userId: (row.userId as string | null) ?? null,
  };
}

export interface GroupFiguresQuery {
  projectId: string;
  column: GroupColumn;
  ids: readonly string[];
  /** Extra conditions on the traces counted (a time range). */
  where?: Sql[];
}

/** Figures per group id (ids with no trace are absent), read through the (projectId, column, startNs) index. */
export async function groupFigures(raw: RawDb, q: GroupFiguresQuery): Promise<Map<string, GroupFigures>> {
  const out = new Map<string, GroupFigures>();
  if (q.ids.length === 0) return out;
  const key = ident(q.column);
  const where = [sql`"projectId" = ${q.projectId}`, sql`${key} ${inList(q.ids, "text")}`, ...(q.where ?? [])];
  const rows = await executorFor(raw).all(sql`SELECT ${key} AS "id", ${FIGURES} FROM traces WHERE ${join(where, " AND ")} GROUP BY ${key}`);
  for (const row of rows) out.set(String(row.id), toGroupFigures(row));
  return out;
}
