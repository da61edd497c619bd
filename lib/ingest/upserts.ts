// SQL shared by the SQLite and PostgreSQL writers. Column names are camelCase and quoted.
import type { SpanRow } from "./span-row";

export const SPAN_COLUMNS = [
  "projectId", "traceId", "spanId", "parentSpanId", "bucket", "name", "kind", "otelKind", "service", "agent", "step", "model",
  "provider", "operation", "sessionId", "userId", "startNs", "startMinute", "endNs", "durationMs", "statusCode", "statusMessage",
  "inputTokens", "outputTokens", "cachedTokens", "reasoningTokens", "costUsd", "costSource", "inputPreview", "outputPreview", "argsHash",
  "attributes", "events", "links", "resource", "scope", "receivedMs",
] as const satisfies readonly (keyof SpanRow)[];

export type SpanColumn = (typeof SPAN_COLUMNS)[number];

export const TRACE_COLUMNS = [
  "projectId", "traceId", "rootSpanId", "name", "service", "agent", "sessionId", "userId", "startNs", "endNs", "durationMs",
  "spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd", "containerInputTokens", "containerOutputTokens",
  "containerCostUsd", "lastSeq", "lastReceivedMs",
] as const;

export const ROLLUP_COLUMNS = [
  "projectId", "minuteMs", "service", "agent", "model", "kind", "spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd",
  "durationMsSum", "latencyHist",
] as const;

export const quote = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(", ");

/** Trace upsert: totals add up; the root span, once seen, names the trace. */
export function traceConflictClause(least: "MIN" | "LEAST", greatest: "MAX" | "GREATEST"): string {
  const add = (c: string) => `"${c}" = ${saturatingAdd("traces", c, least)}`;
  return `ON CONFLICT ("projectId", "traceId") DO UPDATE SET
    "rootSpanId" = COALESCE(traces."rootSpanId", excluded."rootSpanId"),
    "name" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL THEN excluded."name"
                  WHEN traces."rootSpanId" IS NULL AND excluded."startNs" < traces."startNs" THEN excluded."name" ELSE traces."name" END,
    "service" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL THEN excluded."service" ELSE COALESCE(traces."service", excluded."service") END,
    "agent" = CASE WHEN traces."rootSpanId" IS NULL AND excluded."rootSpanId" IS NOT NULL AND excluded."agent" IS NOT NULL THEN excluded."agent" ELSE COALESCE(traces."agent", excluded."agent") END,
    "sessionId" = COALESCE(traces."sessionId", excluded."sessionId"),
    "userId" = COALESCE(traces."userId", excluded."userId"),
    "startNs" = ${least}(traces."startNs", excluded."startNs"),
    "endNs" = ${greatest}(traces."endNs", excluded."endNs"),
    "durationMs" = (${greatest}(traces."endNs", excluded."endNs") - ${least}(traces."startNs", excluded."startNs")) / 1000000.0,
    ${["spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd", "containerInputTokens", "containerOutputTokens", "containerCostUsd"].map(add).join(",\n    ")},
    "lastSeq" = ${greatest}(traces."lastSeq", excluded."lastSeq"),
    "lastReceivedMs" = ${greatest}(traces."lastReceivedMs", excluded."lastReceivedMs")`;
}

/** Rollup upsert: counts add up and the latency histograms merge bucket by bucket, in one statement. */
export function rollupConflictClause(provider: "sqlite" | "postgresql"): string {
  const least = provider === "sqlite" ? "MIN" : "LEAST";
  const mergedHist =
    provider === "sqlite"
      ? `(SELECT json_group_object(k, n) FROM (SELECT k, SUM(n) AS n FROM (
           SELECT key AS k, value AS n FROM json_each(COALESCE(span_rollups."latencyHist", '{}'))
           UNION ALL SELECT key, value FROM json_each(excluded."latencyHist")) GROUP BY k))`
      : `(SELECT jsonb_object_agg(k, n) FROM (SELECT k, SUM(n) AS n FROM (
           SELECT key AS k, value::int8 AS n FROM jsonb_each(COALESCE(span_rollups."latencyHist", '{}'::jsonb))
           UNION ALL SELECT key, value::int8 FROM jsonb_each(excluded."latencyHist")) x GROUP BY k) y)`;
  return `ON CONFLICT ("projectId", "minuteMs", "service", "agent", "model", "kind") DO UPDATE SET
    ${["spanCount", "errorCount", "inputTokens", "outputTokens", "costUsd", "durationMsSum"].map((c) => `"${c}" = ${saturatingAdd("span_rollups", c, least)}`).join(",\n    ")},
    "latencyHist" = ${mergedHist}`;
}

const INT_COLUMNS = new Set(["spanCount", "errorCount", "inputTokens", "outputTokens", "containerInputTokens", "containerOutputTokens"]);
export const INT32_MAX = 2_147_483_647;

/** Integer totals stop at the column's maximum instead of failing the write (a client can send any count). */
function saturatingAdd(table: string, column: string, least: "MIN" | "LEAST"): string {
  if (!INT_COLUMNS.has(column)) return `${table}."${column}" + excluded."${column}"`;
  return `CAST(${least}(CAST(${table}."${column}" AS BIGINT) + excluded."${column}", ${INT32_MAX}) AS INTEGER)`;
}

/** Upper bound on stored spans read per trace to resolve agent inheritance. */
export const STORED_SPANS_LIMIT = 20_000;
