// SQLite write path: prepared statements in one IMMEDIATE transaction. SQLite has one writer, so seq
// (INTEGER PRIMARY KEY AUTOINCREMENT) is assigned in commit order. With WAL and synchronous=NORMAL a
// commit survives a process crash (kill -9); an OS crash or power loss may lose the last commits.
import type Database from "better-sqlite3";
import { aggregateRollups, aggregateTraces, type InsertedRow } from "./aggregate";
import { resolveAgents, type StoredSpan } from "./resolve-agents";
import type { SpanRow } from "./span-row";
import { quote, ROLLUP_COLUMNS, rollupConflictClause, SPAN_COLUMNS, STORED_SPANS_LIMIT, TRACE_COLUMNS, traceConflictClause } from "./sql";
import type { WriteResult } from "./write-result";

const params = (n: number) => Array.from({ length: n }, () => "?").join(", ");

function prepare(db: Database.Database) {
  // A larger page cache for this connection keeps the spans indexes' hot pages in memory (default is 2 MB).
  db.pragma("cache_size = -65536");
  return {
    storedSpans: db.prepare(
      `SELECT "traceId", "spanId", "parentSpanId", "agent" FROM spans WHERE "projectId" = ? AND "traceId" = ? LIMIT ${STORED_SPANS_LIMIT}`,
    ),
    insertSpan: db.prepare(
      `INSERT INTO spans (${quote(SPAN_COLUMNS)}) VALUES (${params(SPAN_COLUMNS.length)}) ON CONFLICT ("projectId", "traceId", "spanId") DO NOTHING`,
    ),
    updateAgent: db.prepare(`UPDATE spans SET "agent" = ? WHERE "projectId" = ? AND "traceId" = ? AND "spanId" = ? AND "agent" IS NULL`),
    upsertTrace: db.prepare(`INSERT INTO traces (${quote(TRACE_COLUMNS)}) VALUES (${params(TRACE_COLUMNS.length)}) ${traceConflictClause("MIN", "MAX")}`),
    upsertRollup: db.prepare(`INSERT INTO span_rollups (${quote(ROLLUP_COLUMNS)}) VALUES (${params(ROLLUP_COLUMNS.length)}) ${rollupConflictClause("sqlite")}`),
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
    const durationMs = Number(t.endNs - t.startNs) / 1e6;
    s.upsertTrace.run(
      t.projectId, t.traceId, t.rootSpanId, t.name, t.service, t.agent, t.sessionId, t.userId, t.startNs, t.endNs, durationMs,
      t.spanCount, t.errorCount, t.inputTokens, t.outputTokens, t.costUsd, t.containerInputTokens, t.containerOutputTokens,
      t.containerCostUsd, t.lastSeq, t.lastReceivedMs,
    );
  }
  for (const r of aggregateRollups(inserted)) {
    s.upsertRollup.run(
      r.projectId, r.minuteMs, r.service, r.agent, r.model, r.kind, r.spanCount, r.errorCount, r.inputTokens, r.outputTokens, r.costUsd,
      r.durationMsSum, JSON.stringify(r.latencyHist),
    );
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
