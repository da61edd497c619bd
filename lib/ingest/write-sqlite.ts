// SQLite write path: prepared statements in one IMMEDIATE transaction. SQLite has one writer, so seq
// (INTEGER PRIMARY KEY AUTOINCREMENT) is assigned in commit order. With WAL and synchronous=NORMAL a
// commit survives a process crash (kill -9); an OS crash or power loss may lose the last commits.
import type Database from "better-sqlite3";
import { aggregateRollups, aggregateTraces, type InsertedRow } from "./aggregate";
import { resolveAgents, type StoredSpan } from "./resolve-agents";
import { ROLLUPS, SPANS, TRACES } from "../db/columns";
import { columnList, verbatim, render, slot, sql, valueRows, type Sql } from "../db/sql";
import type { SpanRow } from "./span-row";
import { rollupConflictClause, STORED_SPANS_LIMIT, traceConflictClause } from "./upserts";
import type { WriteResult } from "./write-result";

// Statements prepared once per connection: the hot path binds values positionally, in the order of the
// column lists (lib/db/columns.ts) the statements are rendered from.
const text = (query: Sql) => render(query, "sqlite").text;
const slots = (n: number) => valueRows([Array.from({ length: n }, () => slot())]);
const SPAN_COLUMNS = SPANS.columns;
const TRACE_COLUMNS = TRACES.columns;
const ROLLUP_COLUMNS = ROLLUPS.columns;

function prepare(db: Database.Database) {
  // A larger page cache for this connection keeps the spans indexes' hot pages in memory (default is 2 MB).
  db.pragma("cache_size = -65536");
  return {
    storedSpans: db.prepare(
      text(sql`SELECT "traceId", "spanId", "parentSpanId", "agent" FROM spans WHERE "projectId" = ${slot()} AND "traceId" = ${slot()} LIMIT ${verbatim(String(STORED_SPANS_LIMIT))}`),
    ),
    insertSpan: db.prepare(
      text(sql`INSERT INTO spans (${columnList(SPAN_COLUMNS)}) VALUES ${slots(SPAN_COLUMNS.length)} ON CONFLICT ("projectId", "traceId", "spanId") DO NOTHING`),
    ),
    updateAgent: db.prepare(
      text(sql`UPDATE spans SET "agent" = ${slot()} WHERE "projectId" = ${slot()} AND "traceId" = ${slot()} AND "spanId" = ${slot()} AND "agent" IS NULL`),
    ),
    upsertTrace: db.prepare(text(sql`INSERT INTO traces (${columnList(TRACE_COLUMNS)}) VALUES ${slots(TRACE_COLUMNS.length)} ${traceConflictClause()}`)),
    upsertRollup: db.prepare(text(sql`INSERT INTO span_rollups (${columnList(ROLLUP_COLUMNS)}) VALUES ${slots(ROLLUP_COLUMNS.length)} ${rollupConflictClause()}`)),
  };
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Database.Database, (batches: SpanRow[][]) => WriteResult[]>();

function writeInTransaction(s: Statements, rows: SpanRow[]): WriteResult {
  const projectId = rows[0]!.projectId;
  const traceIds = [...new Set(rows.map((r) => r.traceId))];
  const stored: StoredSpan[] = [];
  for (const traceId of traceIds) stored.push(...(s.storedSpans.all(projectId, traceId) as StoredSpan[]));
  const updates = resolveAgents(rows, stored);

  const inserted: InsertedRow[] = [];
  const values: unknown[] = new Array(SPAN_COLUMNS.length);
  for (const row of rows) {
    for (let i = 0; i < SPAN_COLUMNS.length; i++) values[i] = row[SPAN_COLUMNS[i]!];
    const info = s.insertSpan.run(values);
    if (info.changes === 1) inserted.push({ row, seq: BigInt(info.lastInsertRowid) });
  }
  for (const u of updates) s.updateAgent.run(u.agent, projectId, u.traceId, u.spanId);

  for (const t of aggregateTraces(inserted)) {
    const trace = { ...t, durationMs: Number(t.endNs - t.startNs) / 1e6 };
    s.upsertTrace.run(TRACE_COLUMNS.map((c) => trace[c]));
  }
  for (const r of aggregateRollups(inserted)) {
    const rollup = { ...r, latencyHist: JSON.stringify(r.latencyHist) };
    s.upsertRollup.run(ROLLUP_COLUMNS.map((c) => rollup[c]));
  }
  return { inserted: inserted.length, duplicates: rows.length - inserted.length, agentUpdates: updates.length };
}

/** Writes several requests' batches in one transaction (one commit), each with its own result. */
export function writeBatchesSqlite(db: Database.Database, batches: SpanRow[][]): WriteResult[] {
  let write = cache.get(db);
  if (!write) {
    const statements = prepare(db);
    const tx = db.transaction((group: SpanRow[][]) => group.map((rows) => (rows.length ? writeInTransaction(statements, rows) : EMPTY)));
    write = (group) => tx.immediate(group);
    cache.set(db, write);
  }
  return write(batches);
}

const EMPTY: WriteResult = { inserted: 0, duplicates: 0, agentUpdates: 0 };
