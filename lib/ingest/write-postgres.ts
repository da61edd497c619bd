// PostgreSQL write path: one transaction; spans go in with a single INSERT … SELECT FROM UNNEST(…)
// ON CONFLICT DO NOTHING (COPY cannot skip duplicates), RETURNING the rows actually inserted.
import type pg from "pg";
import { aggregateRollups, aggregateTraces, type InsertedRow } from "./aggregate";
import { resolveAgents, type StoredSpan } from "./resolve-agents";
import type { SpanRow } from "./span-row";
import { quote, ROLLUP_COLUMNS, rollupConflictClause, SPAN_COLUMNS, STORED_SPANS_LIMIT, TRACE_COLUMNS, traceConflictClause, type SpanColumn } from "./sql";
import type { WriteResult } from "./write-result";

/**
 * Scoring workers read spans with `WHERE seq > cursor`. With concurrent writers, a transaction could take
 * seq 10 and commit after another that took seq 11; a worker that already advanced past 11 would then skip
 * 10 forever. Holding this transaction-scoped advisory lock from before the first nextval() until commit
 * serializes seq assignment with commit, so seqs become visible in increasing order.
 */
export const INGEST_LOCK_KEY = 0x41524755; // "ARGU"

const SPAN_TYPES: Record<SpanColumn, string> = {
  projectId: "text", traceId: "text", spanId: "text", parentSpanId: "text", bucket: "int4", name: "text", kind: "text", otelKind: "int4",
  service: "text", agent: "text", step: "text", model: "text", provider: "text", operation: "text", sessionId: "text", userId: "text",
  startNs: "int8", endNs: "int8", durationMs: "float8", statusCode: "int4", statusMessage: "text", inputTokens: "int4",
  outputTokens: "int4", cachedTokens: "int4", reasoningTokens: "int4", costUsd: "float8", costSource: "text", inputPreview: "text",
  outputPreview: "text", argsHash: "text", attributes: "jsonb", events: "jsonb", links: "jsonb", resource: "jsonb", scope: "text",
  receivedMs: "int8",
};

// The jsonb columns (already JSON text, ~2 KB per span with prompts) travel as one JSON array per column,
// built by concatenation: as text[] elements pg would escape every quote and backslash (about 1.7 ms of
// CPU per 100 spans) and PostgreSQL would unescape them again. ROWS FROM zips the arrays row by row.
const JSONB_COLUMNS = SPAN_COLUMNS.filter((c) => SPAN_TYPES[c] === "jsonb");
export const INSERT_SPANS = `INSERT INTO spans (${quote(SPAN_COLUMNS)})
  SELECT ${SPAN_COLUMNS.map((c) => (SPAN_TYPES[c] === "jsonb" ? `NULLIF("${c}", 'null'::jsonb)` : `"${c}"`)).join(", ")}
  FROM ROWS FROM (${SPAN_COLUMNS.map((c, i) => (SPAN_TYPES[c] === "jsonb" ? `jsonb_array_elements($${i + 1}::jsonb)` : `UNNEST($${i + 1}::${SPAN_TYPES[c]}[])`)).join(", ")})
    AS u(${quote(SPAN_COLUMNS)})
  ON CONFLICT ("projectId", "traceId", "spanId") DO NOTHING
  RETURNING seq, "traceId", "spanId"`;

/** Parameters of INSERT_SPANS: an array per plain column, a JSON array text per jsonb column. */
export function spanParams(rows: SpanRow[]): unknown[] {
  return SPAN_COLUMNS.map((c) => {
    if (!JSONB_COLUMNS.includes(c)) return rows.map((r) => (typeof r[c] === "bigint" ? r[c].toString() : r[c]));
    let json = "[";
    for (let i = 0; i < rows.length; i++) json += (i ? "," : "") + ((rows[i]![c] as string | null) ?? "null");
    return json + "]";
  });
}

const TRACE_TYPES = [
  "text", "text", "text", "text", "text", "text", "text", "text", "int8", "int8", "float8", "int4", "int4", "int4", "int4", "float8",
  "int4", "int4", "float8", "int8", "int8",
];
const UPSERT_TRACES = `INSERT INTO traces (${quote(TRACE_COLUMNS)})
  SELECT * FROM UNNEST(${TRACE_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})
  ${traceConflictClause("LEAST", "GREATEST")}`;

const ROLLUP_TYPES = ["text", "int8", "text", "text", "text", "text", "int4", "int4", "int4", "int4", "float8", "float8", "text"];
const UPSERT_ROLLUPS = `INSERT INTO span_rollups (${quote(ROLLUP_COLUMNS)})
  SELECT ${ROLLUP_COLUMNS.map((c) => (c === "latencyHist" ? `"${c}"::jsonb` : `"${c}"`)).join(", ")}
  FROM UNNEST(${ROLLUP_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) AS u(${quote(ROLLUP_COLUMNS)})
  ${rollupConflictClause("postgresql")}`;

export const columnsOf = <T extends object>(items: T[], keys: readonly (keyof T)[]) =>
  keys.map((k) => items.map((item) => {
    const v = item[k];
    return typeof v === "bigint" ? v.toString() : v;
  }));

/**
 * Writes one project's share of a group: four statements whatever the number of requests (each round trip
 * is taken while holding the seq lock). Results are per request; a span sent by two requests of the group
 * counts as inserted for the first.
 */
async function writeProjectGroup(client: pg.PoolClient, projectId: string, batches: SpanRow[][]): Promise<WriteResult[]> {
  const rows = batches.length === 1 ? batches[0]! : batches.flat();
  const traceIds = [...new Set(rows.map((r) => r.traceId))];
  // Usually empty (new traces); the unique index on (projectId, traceId, spanId) answers it.
  const { rows: stored } = await client.query<StoredSpan>(
    `SELECT "traceId", "spanId", "parentSpanId", "agent" FROM spans WHERE "projectId" = $1 AND "traceId" = ANY($2::text[]) LIMIT ${STORED_SPANS_LIMIT}`,
    [projectId, traceIds]);
  const updates = resolveAgents(rows, stored);

  const result = await client.query<{ seq: bigint; traceId: string; spanId: string }>(INSERT_SPANS, spanParams(rows));
  const owner = new Map<string, { row: SpanRow; batch: number }>();
  const traceOwner = new Map<string, number>();
  batches.forEach((batch, b) => {
    for (const row of batch) {
      const key = row.traceId + row.spanId;
      if (!owner.has(key)) owner.set(key, { row, batch: b });
      if (!traceOwner.has(row.traceId)) traceOwner.set(row.traceId, b);
    }
  });
  const results: WriteResult[] = batches.map((batch) => ({ inserted: 0, duplicates: batch.length, agentUpdates: 0 }));
  const inserted: InsertedRow[] = result.rows.map((r) => {
    const { row, batch } = owner.get(r.traceId + r.spanId)!;
    results[batch]!.inserted += 1;
    results[batch]!.duplicates -= 1;
    return { row, seq: BigInt(r.seq) };
  });
  if (updates.length > 0) {
    await client.query(
      `UPDATE spans s SET "agent" = u.agent FROM UNNEST($2::text[], $3::text[], $4::text[]) AS u(t, sp, agent)
       WHERE s."projectId" = $1 AND s."traceId" = u.t AND s."spanId" = u.sp AND s."agent" IS NULL`,
      [projectId, updates.map((u) => u.traceId), updates.map((u) => u.spanId), updates.map((u) => u.agent)]);
    for (const u of updates) results[traceOwner.get(u.traceId) ?? 0]!.agentUpdates += 1;
  }
  const traces = aggregateTraces(inserted).map((t) => ({ ...t, durationMs: Number(t.endNs - t.startNs) / 1e6 }));
  if (traces.length > 0) await client.query(UPSERT_TRACES, columnsOf(traces, TRACE_COLUMNS));

  const rollups = aggregateRollups(inserted);
  if (rollups.length > 0) {
    const withHist = rollups.map((r) => ({ ...r, latencyHist: JSON.stringify(r.latencyHist) }));
    await client.query(UPSERT_ROLLUPS, columnsOf(withHist, ROLLUP_COLUMNS));
  }
  return results;
}

/** Writes several requests' batches in one transaction: one lock, one commit (one WAL flush) for all. */
export async function writeBatchesPostgres(pool: pg.Pool, batches: SpanRow[][]): Promise<WriteResult[]> {
  const results: WriteResult[] = batches.map(() => ({ inserted: 0, duplicates: 0, agentUpdates: 0 }));
  // Trace totals and rollups are keyed within one project, so each project's requests are written together.
  const byProject = new Map<string, number[]>();
  batches.forEach((rows, i) => {
    if (rows.length === 0) return;
    const indexes = byProject.get(rows[0]!.projectId) ?? [];
    indexes.push(i);
    byProject.set(rows[0]!.projectId, indexes);
  });
  if (byProject.size === 0) return results;
  const client = await pool.connect();
  try {
    // One round trip: the lock is held for the whole transaction, so every round trip counts.
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${INGEST_LOCK_KEY})`);
    for (const [projectId, indexes] of byProject) {
      const written = await writeProjectGroup(client, projectId, indexes.map((i) => batches[i]!));
      indexes.forEach((i, k) => (results[i] = written[k]!));
    }
    await client.query("COMMIT");
    return results;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
