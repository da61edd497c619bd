// PostgreSQL write path: one transaction; spans go in with a single INSERT … SELECT FROM UNNEST(…)
// ON CONFLICT DO NOTHING (COPY cannot skip duplicates), RETURNING the rows actually inserted.
import pg from "pg";
import { aggregateRollups, aggregateTraces, rollupKey, type InsertedRow } from "./aggregate";
import { resolveAgents, type StoredSpan } from "./resolve-agents";
import type { SpanRow } from "./span-row";
import { ROLLUPS, SPANS, TRACES } from "../db/columns";
import { columnList, join, verbatim, render, slot, sql, type Sql } from "../db/sql";
import { unnestSlots } from "../db/sql-bulk";
import { SHARED_SEQ_LOCK, traceLocksQuery } from "./seq-lock";
import { rollupConflictClause, STORED_SPANS_LIMIT, traceConflictClause } from "./upserts";
import type { WriteResult } from "./write-result";

/**
 * Groups written at once, each in its own transaction on its own connection. They insert side by side
 * (seq-lock.ts); three keep both cores of a small server busy while each waits on round trips.
 */
export const PG_PIPELINE_DEPTH = 3;

// Statements prepared once: the write binds one array literal (or JSON bytes) per column, in the order
// of the column lists (lib/db/columns.ts) they are rendered from.
const text = (query: Sql) => render(query, "postgresql").text;
const SPAN_COLUMNS = SPANS.columns;
const isJson = (c: (typeof SPAN_COLUMNS)[number]) => SPANS.types[c] === "jsonb";

// The jsonb columns (already JSON text, ~2 KB per span with prompts) travel as one JSON array per column:
// as text[] elements pg would escape every quote and backslash (about 1.7 ms of CPU per 100 spans) and
// PostgreSQL would unescape them again. The array is sent as UTF-8 bytes (a bytea parameter), written
// row by row into one Buffer: as one JS string it would be a 200 KB+ string, which V8 allocates in fresh
// memory (its large-object space) and pg then flattens and encodes again. ROWS FROM zips the arrays row
// by row.
const JSONB_COLUMNS = SPAN_COLUMNS.filter(isJson);
export const INSERT_SPANS = text(sql`INSERT INTO spans (${columnList(SPAN_COLUMNS)})
  SELECT ${join(SPAN_COLUMNS.map((c) => (isJson(c) ? sql`NULLIF("${verbatim(c)}", 'null'::jsonb)` : sql`"${verbatim(c)}"`)))}
  FROM ROWS FROM (${join(SPAN_COLUMNS.map((c) => (isJson(c) ? sql`jsonb_array_elements(convert_from(${slot("bytea")}, 'UTF8')::jsonb)` : sql`UNNEST(${slot(`${SPANS.types[c]}[]`)})`)))})
    AS u(${columnList(SPAN_COLUMNS)})
  ON CONFLICT ("projectId", "traceId", "spanId") DO NOTHING
  RETURNING seq, "traceId", "spanId"`);

const NEEDS_ESCAPE = /[\\"]/;
const TO_ESCAPE = /[\\"]/g;

/**
 * A PostgreSQL array literal ({…}) of the values, as pg would build it from an array. Built by hand so
 * that it can be done before the transaction starts: pg would build it inside query(), with the locks held.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ",";
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number" || typeof v === "bigint") out += String(v);
    else {
      // Few values hold a quote or backslash; testing first halves the cost (0.40 → 0.18 ms for 25 columns of 100 rows).
      const text = String(v);
      out += `"${NEEDS_ESCAPE.test(text) ? text.replace(TO_ESCAPE, "\\$&") : text}"`;
    }
  }
  return out + "}";
}

const AGENT_PARAM = SPAN_COLUMNS.indexOf("agent");

/** A JSON array of the rows' JSON texts (null for a missing one), as UTF-8 bytes. */
export function jsonArrayBytes(texts: readonly (string | null)[]): Buffer {
  let length = 2 + Math.max(0, texts.length - 1);
  for (const text of texts) length += text === null ? 4 : Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(length);
  let at = out.write("[", 0, "latin1");
  texts.forEach((text, i) => {
    if (i > 0) at += out.write(",", at, "latin1");
    at += out.write(text ?? "null", at);
  });
  out.write("]", at, "latin1");
  return out;
}

/** Parameters of INSERT_SPANS: an array literal per plain column, JSON array bytes per jsonb column. */
export function spanParams(rows: SpanRow[]): (string | Buffer)[] {
  return SPAN_COLUMNS.map((c) =>
    JSONB_COLUMNS.includes(c) ? jsonArrayBytes(rows.map((r) => r[c] as string | null)) : arrayLiteral(rows.map((r) => r[c])),
  );
}

// Trace totals and rollups in one statement (one round trip under the lock): the first as a data-modifying
// WITH, which runs to completion whether or not it is referenced.
const TRACES_AND_ROLLUPS = text(sql`WITH upserted_traces AS (
    INSERT INTO traces (${columnList(TRACES.columns)})
    ${unnestSlots(TRACES, TRACES.columns)}
    ${traceConflictClause()})
  INSERT INTO span_rollups (${columnList(ROLLUPS.columns)})
  ${unnestSlots(ROLLUPS, ROLLUPS.columns)}
  ${rollupConflictClause()}`);

const columnsOf = <T extends object>(items: T[], keys: readonly (keyof T)[]) => keys.map((k) => items.map((item) => item[k]));

/** One project's share of a group, with what can be built before the transaction starts. */
interface ProjectGroup {
  projectId: string;
  batches: SpanRow[][];
  rows: SpanRow[];
  /** INSERT_SPANS parameters; the agent column is filled in under the lock, once stored ancestors are known. */
  params: (string | Buffer)[];
  /** The spans already stored in these traces (usually none: new traces), for agent inheritance. */
  storedQuery: string;
}

function prepareProjectGroup(projectId: string, batches: SpanRow[][]): ProjectGroup {
  const rows = batches.length === 1 ? batches[0]! : batches.flat();
  const traceIds = [...new Set(rows.map((r) => r.traceId))];
  // Inlined (escaped) rather than bound, so that it shares a round trip with BEGIN and the lock.
  const storedQuery = `SELECT "traceId", "spanId", "parentSpanId", "agent" FROM spans
    WHERE "projectId" = ${pg.escapeLiteral(projectId)} AND "traceId" = ANY(${pg.escapeLiteral(arrayLiteral(traceIds))}::text[]) LIMIT ${STORED_SPANS_LIMIT}`;
  return { projectId, batches, rows, params: spanParams(rows), storedQuery };
}

/**
 * Writes one project's share of a group inside the transaction: two round trips whatever the number of
 * requests, three when stored spans learn their agent. Results are per request; a span sent by two
 * requests of the group counts as inserted for the first.
 */
async function writeProjectGroup(client: pg.PoolClient, group: ProjectGroup, stored: StoredSpan[]): Promise<WriteResult[]> {
  const { projectId, batches, rows, params } = group;
  const updates = resolveAgents(rows, stored);
  params[AGENT_PARAM] = arrayLiteral(rows.map((r) => r.agent));

  const result = await client.query<{ seq: bigint; traceId: string; spanId: string }>(INSERT_SPANS, params);
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
  if (inserted.length === 0) return results;
  const traces = aggregateTraces(inserted).map((t) => ({ ...t, durationMs: Number(t.endNs - t.startNs) / 1e6 }));
  // Writers of different traces share rollup rows (per minute, service, agent, model and kind). All
  // upsert them in key order, so that one waits for the other instead of the two deadlocking.
  const rollups = aggregateRollups(inserted)
    .map((r) => ({ ...r, latencyHist: JSON.stringify(r.latencyHist), order: rollupKey(r) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  await client.query(TRACES_AND_ROLLUPS, [...columnsOf(traces, TRACES.columns), ...columnsOf(rollups, ROLLUPS.columns)].map(arrayLiteral));
  return results;
}

/**
 * Writes several requests' batches in one transaction: one commit (one WAL flush) for all. Other groups
 * are written at the same time on other connections (seq-lock.ts). Everything that does not depend on
 * the database is built before the transaction starts, and it takes as few round trips as possible.
 */
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
  const groups = [...byProject].map(([projectId, indexes]) => ({ indexes, group: prepareProjectGroup(projectId, indexes.map((i) => batches[i]!)) }));
  const client = await pool.connect();
  try {
    // One round trip: BEGIN, the seq lock (shared), the locks of the traces written, and each project's
    // stored spans (a multi-statement simple query answers with one result per statement).
    const traceLocks = traceLocksQuery(groups.flatMap(({ group }) => group.rows.map((r) => r.traceId)));
    const replies = (await client.query(
      ["BEGIN", SHARED_SEQ_LOCK, traceLocks, ...groups.map(({ group }) => group.storedQuery)].join(";\n"),
    )) as unknown as pg.QueryResult<StoredSpan>[];
    for (const [k, { indexes, group }] of groups.entries()) {
      const written = await writeProjectGroup(client, group, replies[3 + k]!.rows);
      indexes.forEach((i, j) => (results[i] = written[j]!));
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
