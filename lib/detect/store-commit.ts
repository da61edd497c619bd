// The commit of one scored batch, in one transaction: cursor compare-and-set first (fencing), then
// anomalies (idempotent on dedupKey), span scores, trace scores and changed detector state.
// Many rows go in one statement on PostgreSQL (a round trip each); on SQLite, in process, a prepared
// statement per row (per 200 rows for span scores) is as fast and keeps each upsert's effect per row.
import type { Executor } from "@/lib/db/executor";
import { ANOMALIES, DETECTOR_STATE, SPAN_SCORES } from "@/lib/db/columns";
import { param, sql } from "@/lib/db/sql";
import { insertInto, type RowOf } from "@/lib/db/sql-bulk";
import { chunks, newId } from "@/lib/db/sql-values";
import type { StateRow } from "./state";
import { advanceCursor } from "./store-lease";
import type { AnomalyDraft } from "./types";
import type { TraceScore } from "./score-traces";

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

export interface BatchWrite {
  cursor: string;
  owner: string;
  from: number;
  to: number;
  leaseMs: number;
  /** Scored spans and their scores (same order). */
  spans: ReadonlyArray<{ seq: number; projectId: string }>;
  scores: ArrayLike<number>;
  anomalies: readonly AnomalyDraft[];
  traces: readonly TraceScore[];
  state: readonly StateRow[];
  now: Date;
}

// A re-scored trace may raise an existing anomaly's score: update it and clear alertId so the
// alert step (record-alerts.ts) sees it again. Stronger evidence at the same score (a loop seen
// while running, then complete with more repeats) updates what the row shows, not the alert.
const RAISED = sql`excluded."score" > anomalies."score" + 1e-9`;
const UPSERT_TAIL = sql`ON CONFLICT ("dedupKey") DO UPDATE SET "score" = excluded."score", "severity" = excluded."severity", "explanation" = excluded."explanation",
  "observed" = excluded."observed", "details" = excluded."details", "alertId" = CASE WHEN ${RAISED} THEN NULL ELSE anomalies."alertId" END
  WHERE ${RAISED} OR (excluded."score" >= anomalies."score" - 1e-9 AND excluded."observed" > anomalies."observed") RETURNING "id"`;

/** Rows per statement: SQLite one by one (the upserts of one batch's duplicates apply in order), PostgreSQL all at once. */
const rowsPerStatement = (ex: Executor, rows: number) => (ex.dialect === "sqlite" ? 1 : Math.max(1, rows));
const SQLITE_SCORE_ROWS = 200;

export async function writeBatch(ex: Executor, w: BatchWrite): Promise<{ anomalyIds: string[] }> {
  if (!(await advanceCursor(ex, { name: w.cursor, owner: w.owner, from: w.from, to: w.to, now: w.now, leaseMs: w.leaseMs }))) {
    throw new LeaseLostError(`lease on ${w.cursor} lost before commit`);
  }
  const anomalyIds = await upsertAnomalies(ex, w);
  await upsertSpanScores(ex, w.spans, w.scores);
  await updateTraceScores(ex, w.traces);
  const state = w.state.map((r) => ({ ...r, updatedAt: w.now }));
  for (const rows of chunks(state, rowsPerStatement(ex, state.length))) {
    await ex.run(sql`${insertInto(DETECTOR_STATE, rows)} ON CONFLICT (key) DO UPDATE SET state = excluded.state, "updatedAt" = excluded."updatedAt"`);
  }
  return { anomalyIds };
}

function anomalyRow(a: AnomalyDraft, now: Date): RowOf<(typeof ANOMALIES.columns)[number]> {
  const { occurredMs, occurredEndMs, ...rest } = a;
  return {
    ...rest, id: newId(now.getTime()), details: JSON.stringify(a.details), createdAt: now,
    occurredAt: new Date(occurredMs), occurredEndAt: occurredEndMs === null ? null : new Date(occurredEndMs),
  };
}

/** A PostgreSQL statement may touch a dedupKey once: of a batch's duplicates it keeps the highest score. */
function strongestPerKey(anomalies: readonly AnomalyDraft[]): AnomalyDraft[] {
  const byKey = new Map<string, AnomalyDraft>();
  for (const a of anomalies) {
    const seen = byKey.get(a.dedupKey);
    if (!seen || a.score > seen.score) byKey.set(a.dedupKey, a);
  }
  return [...byKey.values()];
}

async function upsertAnomalies(ex: Executor, w: BatchWrite): Promise<string[]> {
  const anomalies = ex.dialect === "postgresql" ? strongestPerKey(w.anomalies) : w.anomalies;
  const rows = anomalies.map((a) => anomalyRow(a, w.now));
  const ids: string[] = [];
  for (const chunk of chunks(rows, rowsPerStatement(ex, rows.length))) {
    const upserted = await ex.all<{ id: string }>(sql`${insertInto(ANOMALIES, chunk)} ${UPSERT_TAIL}`);
    for (const r of upserted) ids.push(r.id);
  }
  return ids;
}

async function upsertSpanScores(ex: Executor, spans: BatchWrite["spans"], scores: ArrayLike<number>): Promise<void> {
  const rows = spans.map((s, i) => ({ seq: s.seq, projectId: s.projectId, score: scores[i] }));
  for (const chunk of chunks(rows, ex.dialect === "sqlite" ? SQLITE_SCORE_ROWS : Math.max(1, rows.length))) {
    await ex.run(sql`${insertInto(SPAN_SCORES, chunk)} ON CONFLICT (seq) DO UPDATE SET score = excluded.score`);
  }
}

const ANOMALY_COUNT = sql`(SELECT COUNT(*) FROM anomalies a WHERE a."projectId" = traces."projectId" AND a."traceId" = traces."traceId")`;

async function updateTraceScores(ex: Executor, traces: readonly TraceScore[]): Promise<void> {
  if (traces.length === 0) return;
  if (ex.dialect === "sqlite") {
    for (const t of traces) {
      await ex.run(sql`UPDATE traces SET "scoredSeq" = ${t.lastSeq}, "anomalyScore" = ${t.score}, "anomalyCount" = ${ANOMALY_COUNT}
        WHERE "projectId" = ${t.projectId} AND "traceId" = ${t.traceId}`);
    }
    return;
  }
  // PostgreSQL: all rows in one UPDATE … FROM UNNEST (SQLite cannot name the columns of a VALUES list).
  await ex.run(sql`UPDATE traces SET "scoredSeq" = u.seq, "anomalyScore" = u.score, "anomalyCount" = ${ANOMALY_COUNT}
    FROM UNNEST(${param(traces.map((t) => t.projectId), "text[]")}, ${param(traces.map((t) => t.traceId), "text[]")},
      ${param(traces.map((t) => t.lastSeq), "int8[]")}, ${param(traces.map((t) => t.score), "float8[]")}) AS u(p, tid, seq, score)
    WHERE traces."projectId" = u.p AND traces."traceId" = u.tid`);
}
