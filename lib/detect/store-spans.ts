// Reads for the scorer through the raw driver: span batches by sequence, a trace's spans, trace rows.
import type { Sql } from "./store-sql";
import type { SpanRecord } from "./types";

const COLS_SQLITE = `seq, "projectId", "traceId", "spanId", "parentSpanId", kind, service, agent, step, model,
  "startNs" / 1000000 AS "startMs", "endNs" / 1000000 AS "endMs", "durationMs", "statusCode", "inputTokens", "outputTokens",
  "costUsd", "argsHash", "receivedMs", "anomalyScore"`;
// Output names shadow columns in ORDER BY: queries order by spans.seq (the indexed column), not the cast.
const COLS_PG = `seq::float8 AS seq, "projectId", "traceId", "spanId", "parentSpanId", kind, service, agent, step, model,
  ("startNs" / 1000000)::float8 AS "startMs", ("endNs" / 1000000)::float8 AS "endMs", "durationMs", "statusCode", "inputTokens", "outputTokens",
  "costUsd", "argsHash", "receivedMs"::float8 AS "receivedMs", "anomalyScore"`;

export async function readSpanBatch(sql: Sql, buckets: readonly number[] | null, afterSeq: number, limit: number): Promise<SpanRecord[]> {
  if (buckets === null) {
    return sql.all<SpanRecord>(
      `SELECT ${COLS_SQLITE} FROM spans WHERE seq > ? ORDER BY seq LIMIT ?`,
      `SELECT ${COLS_PG} FROM spans WHERE spans.seq > $1 ORDER BY spans.seq LIMIT $2`,
      [afterSeq, limit],
    );
  }
  const list = buckets.join(",");
  return sql.all<SpanRecord>(
    `SELECT ${COLS_SQLITE} FROM spans WHERE seq > ? AND bucket IN (${list}) ORDER BY seq LIMIT ?`,
    `SELECT ${COLS_PG} FROM spans WHERE spans.seq > $1 AND bucket IN (${list}) ORDER BY spans.seq LIMIT $2`,
    [afterSeq, limit],
  );
}

const CHUNK = 400;

export async function readTraceSpans(sql: Sql, projectId: string, traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>> {
  const out = new Map<string, SpanRecord[]>();
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const ids = traceIds.slice(i, i + CHUNK);
    const rows = await sql.all<SpanRecord>(
      `SELECT ${COLS_SQLITE} FROM spans WHERE "projectId" = ? AND "traceId" IN (${ids.map(() => "?").join(",")}) ORDER BY seq`,
      `SELECT ${COLS_PG} FROM spans WHERE "projectId" = $1 AND "traceId" = ANY($2::text[]) ORDER BY spans.seq`,
      sql.provider === "sqlite" ? [projectId, ...ids] : [projectId, ids],
    );
    for (const r of rows) {
      let list = out.get(r.traceId);
      if (!list) out.set(r.traceId, (list = []));
      list.push(r);
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
