// The columns raw SQL names, declared once, in the order statements list them, with the PostgreSQL
// type each is bound or cast as. columns.test.ts checks every table and column (names and types)
// against prisma/schema.prisma, so a schema change that these miss fails a test, not a write.
import type { PgType } from "./sql";

export interface Table<C extends string> {
  /** The table's name in the database (@@map). */
  name: string;
  columns: readonly C[];
  types: Readonly<Record<C, PgType>>;
}

function table<const T extends Record<string, PgType>>(name: string, types: T): Table<keyof T & string> {
  return { name, columns: Object.keys(types) as (keyof T & string)[], types };
}

/** The spans columns a write sets (every column but seq, which the database assigns). */
export const SPANS = table("spans", {
  projectId: "text", traceId: "text", spanId: "text", parentSpanId: "text", bucket: "int4", name: "text", kind: "text", otelKind: "int4",
  service: "text", agent: "text", step: "text", model: "text", provider: "text", operation: "text", sessionId: "text", userId: "text",
  startNs: "int8", startMinute: "int4", endNs: "int8", durationMs: "float8", statusCode: "int4", statusMessage: "text", inputTokens: "int4",
  outputTokens: "int4", cachedTokens: "int4", reasoningTokens: "int4", costUsd: "float8", costSource: "text", inputPreview: "text",
  outputPreview: "text", argsHash: "text", attributes: "jsonb", events: "jsonb", links: "jsonb", resource: "jsonb", scope: "text",
  receivedMs: "int8",
});
export type SpanColumn = (typeof SPANS.columns)[number] | "seq";

/** The trace columns an ingest upsert sets (the scorer's columns scoredSeq, anomalyScore, anomalyCount apart). */
export const TRACES = table("traces", {
  projectId: "text", traceId: "text", rootSpanId: "text", name: "text", service: "text", agent: "text", sessionId: "text", userId: "text",
  startNs: "int8", endNs: "int8", durationMs: "float8", spanCount: "int4", errorCount: "int4", inputTokens: "int4", outputTokens: "int4",
  costUsd: "float8", containerInputTokens: "int4", containerOutputTokens: "int4", containerCostUsd: "float8", lastSeq: "int8",
  lastReceivedMs: "int8",
});
/** Trace columns only the scorer writes. */
export const TRACE_SCORES = table("traces", { scoredSeq: "int8", anomalyScore: "float8", anomalyCount: "int4" });

export const ROLLUPS = table("span_rollups", {
  projectId: "text", minuteMs: "int8", service: "text", agent: "text", model: "text", kind: "text", spanCount: "int4", errorCount: "int4",
  inputTokens: "int4", outputTokens: "int4", costUsd: "float8", durationMsSum: "float8", latencyHist: "jsonb",
});

export const SPAN_SCORES = table("span_scores", { seq: "int8", projectId: "text", score: "float8" });

/** The anomaly columns the scorer's insert sets (feedback and alertId come later). */
export const ANOMALIES = table("anomalies", {
  id: "text", projectId: "text", traceId: "text", spanId: "text", spanSeq: "int8", detector: "text", metric: "text", entity: "text",
  observed: "float8", expected: "float8", expectedLow: "float8", expectedHigh: "float8", score: "float8", severity: "text",
  explanation: "text", details: "jsonb", fingerprint: "text", dedupKey: "text", occurredAt: "timestamp", occurredEndAt: "timestamp",
  createdAt: "timestamp",
});

export const DETECTOR_STATE = table("detector_state", {
  key: "text", projectId: "text", detector: "text", entity: "text", state: "jsonb", updatedAt: "timestamp",
});

export const WORKER_CURSORS = table("worker_cursors", {
  name: "text", position: "int8", leaseOwner: "text", leaseUntil: "timestamp", updatedAt: "timestamp",
});

/** The api_keys columns an ingest request's authentication reads. */
export const API_KEY_LOOKUP = table("api_keys", { id: "text", projectId: "text", scopes: "text", revokedAt: "timestamp", hash: "text" });

/** The audit_entries columns sealing sets (lib/audit/seal-audit.ts), by id. */
export const AUDIT_SEALS = table("audit_entries", { id: "text", seq: "int8", prevHash: "text", hash: "text" });

export const TABLES = [SPANS, TRACES, TRACE_SCORES, ROLLUPS, SPAN_SCORES, ANOMALIES, DETECTOR_STATE, WORKER_CURSORS, API_KEY_LOOKUP, AUDIT_SEALS] as const;
