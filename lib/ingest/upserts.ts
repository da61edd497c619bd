// The trace and rollup upserts both write paths share (write-sqlite.ts, write-postgres.ts): what a
// conflict on an existing row does. Column names are camelCase and quoted.
import { greatest, join, least, perDialect, verbatim, sql, type Sql } from "../db/sql";

const ident = (table: string, column: string) => verbatim(`${table}."${column}"`);
const excluded = (column: string) => verbatim(`excluded."${column}"`);

/** Trace upsert: totals add up; the root span, once seen, names the trace. */
export function traceConflictClause(): Sql {
  const old = (c: string) => ident("traces", c);
  const added = ["spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd", "containerInputTokens", "containerOutputTokens", "containerCostUsd"];
  return sql`ON CONFLICT ("projectId", "traceId") DO UPDATE SET
    "rootSpanId" = COALESCE(traces."rootSpanId", excluded."rootSpanId"),
    "name" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL THEN excluded."name"
                  WHEN traces."rootSpanId" IS NULL AND excluded."startNs" < traces."startNs" THEN excluded."name" ELSE traces."name" END,
    "service" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL THEN excluded."service" ELSE COALESCE(traces."service", excluded."service") END,
    "agent" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL AND excluded."agent" IS NOT NULL THEN excluded."agent" ELSE COALESCE(traces."agent", excluded."agent") END,
    "sessionId" = COALESCE(traces."sessionId", excluded."sessionId"),
    "userId" = COALESCE(traces."userId", excluded."userId"),
    "startNs" = ${least(old("startNs"), excluded("startNs"))},
    "endNs" = ${greatest(old("endNs"), excluded("endNs"))},
    "durationMs" = (${greatest(old("endNs"), excluded("endNs"))} - ${least(old("startNs"), excluded("startNs"))}) / 1000000.0,
    ${join(added.map((c) => sql`${verbatim(`"${c}"`)} = ${saturatingAdd("traces", c)}`), ",\n    ")},
    "lastSeq" = ${greatest(old("lastSeq"), excluded("lastSeq"))},
    "lastReceivedMs" = ${greatest(old("lastReceivedMs"), excluded("lastReceivedMs"))}`;
}

/** Rollup upsert: counts add up and the latency histograms merge bucket by bucket, in one statement. */
export function rollupConflictClause(): Sql {
  // The JSON functions differ: SQLite's json_each/json_group_object on text, PostgreSQL's jsonb ones.
  const mergedHist = perDialect({
    sqlite: sql`(SELECT json_group_object(k, n) FROM (SELECT k, SUM(n) AS n FROM (
           SELECT key AS k, value AS n FROM json_each(COALESCE(span_rollups."latencyHist", '{}'))
           UNION ALL SELECT key, value FROM json_each(excluded."latencyHist")) GROUP BY k))`,
    postgresql: sql`(SELECT jsonb_object_agg(k, n) FROM (SELECT k, SUM(n) AS n FROM (
           SELECT key AS k, value::int8 AS n FROM jsonb_each(COALESCE(span_rollups."latencyHist", '{}'::jsonb))
           UNION ALL SELECT key, value::int8 FROM jsonb_each(excluded."latencyHist")) x GROUP BY k) y)`,
  });
  const added = ["spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd", "durationMsSum"];
  return sql`ON CONFLICT ("projectId", "minuteMs", "service", "agent", "model", "kind") DO UPDATE SET
    ${join(added.map((c) => sql`${verbatim(`"${c}"`)} = ${saturatingAdd("span_rollups", c)}`), ",\n    ")},
    "latencyHist" = ${mergedHist}`;
}

const INT_COLUMNS = new Set(["spanCount", "errorCount", "inputTokens", "outputTokens", "containerInputTokens", "containerOutputTokens"]);
export const INT32_MAX = 2_147_483_647;

/** Integer totals stop at the column's maximum instead of failing the write (a client can send any count). */
function saturatingAdd(table: string, column: string): Sql {
  if (!INT_COLUMNS.has(column)) return sql`${ident(table, column)} + ${excluded(column)}`;
  return sql`CAST(${least(sql`CAST(${ident(table, column)} AS BIGINT) + ${excluded(column)}`, verbatim(String(INT32_MAX)))} AS INTEGER)`;
}

/** Upper bound on stored spans read per trace to resolve agent inheritance. */
export const STORED_SPANS_LIMIT = 20_000;
