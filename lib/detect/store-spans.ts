// Reads for the scorer through the raw driver: span batches by sequence, a trace's spans, trace rows,
// detector state and new feedback.
import type { Executor } from "@/lib/db/executor";
import { float8, ident, inList, verbatim, selectList, sql, type Sql } from "@/lib/db/sql";
import { chunks, listChunkSize, numberOrNull, parseJsonColumn, toDate } from "@/lib/db/sql-values";
import type { SpanColumn } from "@/lib/db/columns";
import type { FeedbackRow } from "./apply-feedback";
import type { SpanRecord } from "./types";

const col = (name: SpanColumn) => ident(name, "s");
// Rows are read as arrays (a batch is thousands of spans): the positions come from this list. A span's
// score lives in span_scores: new spans have none, a re-read trace takes its committed scores with a LEFT JOIN.
const SPAN_FIELDS = [
  ["seq", float8(col("seq"))], ["projectId", col("projectId")], ["traceId", col("traceId")], ["spanId", col("spanId")],
  ["parentSpanId", col("parentSpanId")], ["kind", col("kind")], ["service", col("service")], ["agent", col("agent")], ["step", col("step")],
  ["model", col("model")], ["startMs", float8(sql`${col("startNs")} / 1000000`)], ["endMs", float8(sql`${col("endNs")} / 1000000`)],
  ["durationMs", col("durationMs")], ["statusCode", col("statusCode")], ["inputTokens", col("inputTokens")], ["outputTokens", col("outputTokens")],
  ["costUsd", col("costUsd")], ["argsHash", col("argsHash")], ["receivedMs", float8(col("receivedMs"))],
] as const;
const NEW_SPAN = selectList([...SPAN_FIELDS, ["score", sql`NULL`]]);
const SCORED_SPAN = selectList([...SPAN_FIELDS, ["score", sql`c.score`]]);
const C = NEW_SPAN.index;

function spanFromRow(r: unknown[]): SpanRecord {
  return {
    seq: Number(r[C.seq]), projectId: r[C.projectId] as string, traceId: r[C.traceId] as string, spanId: r[C.spanId] as string,
    parentSpanId: r[C.parentSpanId] as string | null, kind: r[C.kind] as string, service: r[C.service] as string, agent: r[C.agent] as string | null,
    step: r[C.step] as string, model: r[C.model] as string | null, startMs: Number(r[C.startMs]), endMs: Number(r[C.endMs]),
    durationMs: r[C.durationMs] as number, statusCode: r[C.statusCode] as number, inputTokens: r[C.inputTokens] as number | null,
    outputTokens: r[C.outputTokens] as number | null, costUsd: r[C.costUsd] as number | null, argsHash: r[C.argsHash] as string | null,
    receivedMs: Number(r[C.receivedMs]), anomalyScore: numberOrNull(r[C.score]),
  };
}

/**
 * Spans after `afterSeq` in seq order, with no score (new spans have none). On PostgreSQL only up to
 * `upToSeq`, the limit below which every span is committed (committedSeqLimit in lib/ingest/seq-lock.ts);
 * SQLite commits in seq order.
 */
export async function readSpanBatch(
  ex: Executor, buckets: readonly number[] | null, afterSeq: number, limit: number, upToSeq: number | null = null,
): Promise<SpanRecord[]> {
  if (upToSeq !== null && upToSeq <= afterSeq) return [];
  // Integers this code computed are inlined: the planner then sees the bucket list (an index range each).
  const inBuckets: Sql = buckets === null ? sql`` : sql` AND s.bucket IN (${verbatim(buckets.join(","))})`;
  const upTo: Sql = upToSeq === null ? sql`` : sql` AND s.seq <= ${verbatim(String(Math.floor(upToSeq)))}`;
  const rows = await ex.arrays(sql`SELECT ${NEW_SPAN.select} FROM spans s
    WHERE s.seq > ${afterSeq}${inBuckets}${upTo} ORDER BY s.seq LIMIT ${limit}`);
  const out: SpanRecord[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = spanFromRow(rows[i]!);
  return out;
}

/** The spans of these traces with their committed scores, by trace id, in seq order. */
export async function readTraceSpans(ex: Executor, projectId: string, traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>> {
  const out = new Map<string, SpanRecord[]>();
  for (const ids of chunks(traceIds, listChunkSize(ex.dialect))) {
    const rows = await ex.arrays(sql`SELECT ${SCORED_SPAN.select} FROM spans s LEFT JOIN span_scores c ON c.seq = s.seq WHERE s."projectId" = ${projectId} AND s."traceId" ${inList(ids, "text")} ORDER BY s.seq`);
    for (const r of rows) {
      const span = spanFromRow(r);
      let list = out.get(span.traceId);
      if (!list) out.set(span.traceId, (list = []));
      list.push(span);
    }
  }
  return out;
}

export interface TraceRow {
  traceId: string;
  lastSeq: number;
  lastReceivedMs: number;
  spanCount: number;
  scoredSeq: number | null;
  rootSpanId: string | null;
}

export async function readTraceRows(ex: Executor, projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceRow>> {
  const out = new Map<string, TraceRow>();
  for (const ids of chunks(traceIds, listChunkSize(ex.dialect))) {
    const rows = await ex.all<TraceRow>(sql`SELECT "traceId", "lastSeq", "lastReceivedMs", "spanCount", "scoredSeq", "rootSpanId"
      FROM traces WHERE "projectId" = ${projectId} AND "traceId" ${inList(ids, "text")}`);
    for (const r of rows) out.set(r.traceId, r);
  }
  return out;
}

export async function readStateRows(ex: Executor, partition: string): Promise<Array<{ key: string; state: unknown }>> {
  // Range scan on the primary key: every key of the partition starts with "<partition>|".
  return ex.all(sql`SELECT key, state FROM detector_state WHERE key >= ${`${partition}|`} AND key < ${`${partition}}`}`);
}

export interface FeedbackRecord extends FeedbackRow {
  /** When the feedback was given, epoch ms. */
  atMs: number;
}

/** Anomalies marked "expected" since `since`, oldest first (at most `limit`). */
export async function readFeedbackSince(ex: Executor, since: Date, limit: number): Promise<FeedbackRecord[]> {
  const rows = await ex.all<Omit<FeedbackRecord, "atMs" | "details"> & { at: unknown; details: unknown }>(sql`SELECT id, "projectId", detector, metric, entity,
    observed, details, "feedbackAt" AS at FROM anomalies WHERE feedback = 'expected' AND "feedbackAt" >= ${since} ORDER BY "feedbackAt" LIMIT ${limit}`);
  return rows.map(({ at, details, ...r }) => ({ ...r, details: parseJsonColumn<Record<string, unknown>>(details), atMs: toDate(at)!.getTime() }));
}
