// Reads for the scorer through the raw driver: span batches by sequence, a trace's spans, trace rows.
import type { Sql } from "./store-sql";
import type { SpanRecord } from "./types";

// Columns in SpanRecord order; rows are read as arrays (see spanFromRow). A span's score lives in
// span_scores: new spans have none, a re-read trace takes its committed scores with a LEFT JOIN.
const COLS_SQLITE = `s.seq, s."projectId", s."traceId", s."spanId", s."parentSpanId", s.kind, s.service, s.agent, s.step, s.model,
  s."startNs" / 1000000, s."endNs" / 1000000, s."durationMs", s."statusCode", s."inputTokens", s."outputTokens",
  s."costUsd", s."argsHash", s."receivedMs"`;
const COLS_PG = `s.seq::float8, s."projectId", s."traceId", s."spanId", s."parentSpanId", s.kind, s.service, s.agent, s.step, s.model,
  (s."startNs" / 1000000)::float8, (s."endNs" / 1000000)::float8, s."durationMs", s."statusCode", s."inputTokens", s."outputTokens",
  s."costUsd", s."argsHash", s."receivedMs"::float8`;

function spanFromRow(r: unknown[], score: unknown = null): SpanRecord {
  return {
    seq: Number(r[0]), projectId: r[1] as string, traceId: r[2] as string, spanId: r[3] as string, parentSpanId: r[4] as string | null,
    kind: r[5] as string, service: r[6] as string, agent: r[7] as string | null, step: r[8] as string, model: r[9] as string | null,
    startMs: Number(r[10]), endMs: Number(r[11]), durationMs: r[12] as number, statusCode: r[13] as number,
    inputTokens: r[14] as number | null, outputTokens: r[15] as number | null, costUsd: r[16] as number | null,
    argsHash: r[17] as string | null, receivedMs: Number(r[18]), anomalyScore: score === null ? null : Number(score),
  };
}

/**
 * Spans after `afterSeq` in seq order. On PostgreSQL only up to `upToSeq`, the limit below which every
 * span is committed (committedSeqLimit in lib/ingest/seq-lock.ts); SQLite commits in seq order.
 */
export async function readSpanBatch(
  sql: Sql, buckets: readonly number[] | null, afterSeq: number, limit: number, upToSeq: number | null = null,
): Promise<SpanRecord[]> {
  if (upToSeq !== null && upToSeq <= afterSeq) return [];
  const where = (buckets === null ? "" : ` AND s.bucket IN (${buckets.join(",")})`) + (upToSeq === null ? "" : ` AND s.seq <= ${Math.floor(upToSeq)}`);
  const rows = await sql.rows(
    `SELECT ${COLS_SQLITE} FROM spans s WHERE s.seq > ?${where} ORDER BY s.seq LIMIT ?`,
    `SELECT ${COLS_PG} FROM spans s WHERE s.seq > $1${where} ORDER BY s.seq LIMIT $2`,
    [afterSeq, limit],
  );
  const out: SpanRecord[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = spanFromRow(rows[i]!);
  return out;
}

// SQLite takes the ids as one bound parameter each; PostgreSQL as one array.
const chunkOf = (sql: Sql) => (sql.provider === "sqlite" ? 400 : 5000);

export async function readTraceSpans(sql: Sql, projectId: string, traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>> {
  const out = new Map<string, SpanRecord[]>();
  const CHUNK = chunkOf(sql);
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const ids = traceIds.slice(i, i + CHUNK);
    const rows = await sql.rows(
      `SELECT ${COLS_SQLITE}, c.score FROM spans s LEFT JOIN span_scores c ON c.seq = s.seq WHERE s."projectId" = ? AND s."traceId" IN (${ids.map(() => "?").join(",")}) ORDER BY s.seq`,
      `SELECT ${COLS_PG}, c.score FROM spans s LEFT JOIN span_scores c ON c.seq = s.seq WHERE s."projectId" = $1 AND s."traceId" = ANY($2::text[]) ORDER BY s.seq`,
      sql.provider === "sqlite" ? [projectId, ...ids] : [projectId, ids],
    );
    for (const r of rows) {
      const span = spanFromRow(r, r[19]);
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

export async function readTraceRows(sql: Sql, projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceRow>> {
  const out = new Map<string, TraceRow>();
  const CHUNK = chunkOf(sql);
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const ids = traceIds.slice(i, i + CHUNK);
    const rows = await sql.all<TraceRow>(
      `SELECT "traceId", "lastSeq", "lastReceivedMs", "spanCount", "scoredSeq", "rootSpanId" FROM traces WHERE "projectId" = ? AND "traceId" IN (${ids.map(() => "?").join(",")})`,
      `SELECT "traceId", "lastSeq"::float8 AS "lastSeq", "lastReceivedMs"::float8 AS "lastReceivedMs", "spanCount", "scoredSeq"::float8 AS "scoredSeq", "rootSpanId" FROM traces WHERE "projectId" = $1 AND "traceId" = ANY($2::text[])`,
      sql.provider === "sqlite" ? [projectId, ...ids] : [projectId, ids],
    );
    for (const r of rows) out.set(r.traceId, { ...r, lastSeq: Number(r.lastSeq), lastReceivedMs: Number(r.lastReceivedMs), scoredSeq: r.scoredSeq === null ? null : Number(r.scoredSeq) });
  }
  return out;
}

export async function readStateRows(sql: Sql, partition: string): Promise<Array<{ key: string; state: unknown }>> {
  // Range scan on the primary key: every key of the partition starts with "<partition>|".
  return sql.all(
    `SELECT key, state FROM detector_state WHERE key >= ? AND key < ?`,
    `SELECT key, state FROM detector_state WHERE key >= $1 AND key < $2`,
    [`${partition}|`, `${partition}}`],
  );
}
