// The commit of one scored batch, in one transaction: cursor compare-and-set first (fencing), then
// anomalies (idempotent on dedupKey), span scores, trace scores and changed detector state.
// Span scores are narrow rows appended to span_scores: multi-row INSERTs on SQLite, one INSERT …
// SELECT FROM UNNEST on PostgreSQL.
import { randomBytes } from "node:crypto";
import type { StateRow } from "./state";
import { advanceCursor } from "./store-lease";
import { dbTime, type Sql } from "./store-sql";
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

let counter = 0;
/** Collision-resistant, roughly time-ordered id (same alphabet and length class as cuid). */
export function newId(now: number): string {
  counter = (counter + 1) % 1679616;
  return `c${now.toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}

const ANOMALY_COLUMNS = ["id", "projectId", "traceId", "spanId", "spanSeq", "detector", "metric", "entity", "observed", "expected", "expectedLow", "expectedHigh", "score", "severity", "explanation", "details", "fingerprint", "dedupKey", "createdAt"];
const q = (c: string) => `"${c}"`;
// A re-scored trace may raise an existing anomaly's score: update it and clear alertId so the
// alert step (record-alerts.ts) sees it again. Stronger evidence at the same score (a loop seen
// while running, then complete with more repeats) updates what the row shows, not the alert.
const RAISED = `excluded."score" > anomalies."score" + 1e-9`;
const UPSERT_TAIL = `ON CONFLICT ("dedupKey") DO UPDATE SET "score" = excluded."score", "severity" = excluded."severity", "explanation" = excluded."explanation",
  "observed" = excluded."observed", "details" = excluded."details", "alertId" = CASE WHEN ${RAISED} THEN NULL ELSE anomalies."alertId" END
  WHERE ${RAISED} OR (excluded."score" >= anomalies."score" - 1e-9 AND excluded."observed" > anomalies."observed") RETURNING "id"`;

export async function writeBatch(sql: Sql, w: BatchWrite): Promise<{ anomalyIds: string[] }> {
  if (!(await advanceCursor(sql, w.cursor, w.owner, w.from, w.to, w.now, w.leaseMs))) {
    throw new LeaseLostError(`lease on ${w.cursor} lost before commit`);
  }
  const created = dbTime(sql, w.now);
  const anomalyIds = sql.provider === "sqlite" ? insertAnomaliesSqlite(sql, w, created) : await insertAnomaliesPg(sql, w, created);

  if (sql.provider === "sqlite") {
    insertScoresSqlite(sql, w.spans, w.scores);
    sql.runMany(
      `UPDATE traces SET "scoredSeq" = ?, "anomalyScore" = ?, "anomalyCount" = (SELECT COUNT(*) FROM anomalies a WHERE a."projectId" = traces."projectId" AND a."traceId" = traces."traceId") WHERE "projectId" = ? AND "traceId" = ?`,
      w.traces.map((t) => [t.lastSeq, t.score, t.projectId, t.traceId]),
    );
    sql.runMany(
      `INSERT INTO detector_state (key, "projectId", detector, entity, state, "updatedAt") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, "updatedAt" = excluded."updatedAt"`,
      w.state.map((r) => [r.key, r.projectId, r.detector, r.entity, r.state, created]),
    );
  } else {
    if (w.spans.length) await insertScoresPg(sql, w.spans, w.scores);
    if (w.traces.length) {
      await sql.run(
        "",
        `UPDATE traces AS t SET "scoredSeq" = u.seq, "anomalyScore" = u.score,
           "anomalyCount" = (SELECT COUNT(*) FROM anomalies a WHERE a."projectId" = t."projectId" AND a."traceId" = t."traceId")
         FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS u(p, tid, seq, score) WHERE t."projectId" = u.p AND t."traceId" = u.tid`,
        [w.traces.map((t) => t.projectId), w.traces.map((t) => t.traceId), w.traces.map((t) => t.lastSeq), w.traces.map((t) => t.score)],
      );
    }
    if (w.state.length) {
      await sql.run(
        "",
        `INSERT INTO detector_state (key, "projectId", detector, entity, state, "updatedAt")
         SELECT k, p, d, e, s::jsonb, $6::timestamp FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(k, p, d, e, s)
         ON CONFLICT (key) DO UPDATE SET state = excluded.state, "updatedAt" = excluded."updatedAt"`,
        [w.state.map((r) => r.key), w.state.map((r) => r.projectId), w.state.map((r) => r.detector), w.state.map((r) => r.entity), w.state.map((r) => r.state), created],
      );
    }
  }
  return { anomalyIds };
}

const SCORE_ROWS = 200;
const scoreInsert = (n: number) =>
  `INSERT INTO span_scores (seq, "projectId", score) VALUES ${Array.from({ length: n }, () => "(?,?,?)").join(",")} ON CONFLICT (seq) DO UPDATE SET score = excluded.score`;
const FULL_INSERT = scoreInsert(SCORE_ROWS);

function insertScoresSqlite(sql: Sql, spans: BatchWrite["spans"], scores: ArrayLike<number>): void {
  const params: unknown[] = new Array(SCORE_ROWS * 3);
  let i = 0;
  for (; i + SCORE_ROWS <= spans.length; i += SCORE_ROWS) {
    for (let j = 0; j < SCORE_ROWS; j++) {
      params[3 * j] = spans[i + j]!.seq;
      params[3 * j + 1] = spans[i + j]!.projectId;
      params[3 * j + 2] = scores[i + j];
    }
    sql.runMany(FULL_INSERT, [params]);
  }
  if (i < spans.length) {
    const rest: unknown[] = [];
    for (; i < spans.length; i++) rest.push(spans[i]!.seq, spans[i]!.projectId, scores[i]);
    sql.runMany(scoreInsert(rest.length / 3), [rest]);
  }
}

function anomalyValues(a: AnomalyDraft, now: number, created: string): unknown[] {
  return [newId(now), a.projectId, a.traceId, a.spanId, a.spanSeq, a.detector, a.metric, a.entity, a.observed, a.expected, a.expectedLow, a.expectedHigh, a.score, a.severity, a.explanation, JSON.stringify(a.details), a.fingerprint, a.dedupKey, created];
}

function insertAnomaliesSqlite(sql: Sql, w: BatchWrite, created: string): string[] {
  const ids: string[] = [];
  const insert = `INSERT INTO anomalies (${ANOMALY_COLUMNS.map(q).join(",")}) VALUES (${ANOMALY_COLUMNS.map(() => "?").join(",")}) ${UPSERT_TAIL}`;
  for (const a of w.anomalies) {
    const row = sql.getOne<{ id: string }>(insert, anomalyValues(a, w.now.getTime(), created));
    if (row) ids.push(row.id);
  }
  return ids;
}

const PG_TYPES: Record<string, string> = { spanSeq: "bigint", observed: "float8", expected: "float8", expectedLow: "float8", expectedHigh: "float8", score: "float8", details: "jsonb", createdAt: "timestamp" };
const PG_ANOMALY_INSERT = `INSERT INTO anomalies (${ANOMALY_COLUMNS.map(q).join(",")})
  SELECT ${ANOMALY_COLUMNS.map((c) => (PG_TYPES[c] === "jsonb" ? `u.${q(c)}::jsonb` : `u.${q(c)}`)).join(",")}
  FROM UNNEST(${ANOMALY_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c] === "jsonb" ? "text" : (PG_TYPES[c] ?? "text")}[]`).join(",")}) AS u(${ANOMALY_COLUMNS.map(q).join(",")}) ${UPSERT_TAIL}`;

/** One multi-row upsert (a statement may touch a dedupKey once: the batch's duplicates keep the highest score). */
async function insertAnomaliesPg(sql: Sql, w: BatchWrite, created: string): Promise<string[]> {
  if (w.anomalies.length === 0) return [];
  const byKey = new Map<string, AnomalyDraft>();
  for (const a of w.anomalies) {
    const seen = byKey.get(a.dedupKey);
    if (!seen || a.score > seen.score) byKey.set(a.dedupKey, a);
  }
  const rows = [...byKey.values()].map((a) => anomalyValues(a, w.now.getTime(), created));
  const columns = ANOMALY_COLUMNS.map((_, i) => rows.map((r) => r[i]));
  return (await sql.all<{ id: string }>("", PG_ANOMALY_INSERT, columns)).map((r) => r.id);
}

async function insertScoresPg(sql: Sql, spans: BatchWrite["spans"], scores: ArrayLike<number>): Promise<void> {
  const project = spans[0]!.projectId;
  const single = spans.every((s) => s.projectId === project);
  const upsert = `ON CONFLICT (seq) DO UPDATE SET score = excluded.score`;
  // The common batch holds one project: send it once rather than as an array of 10,000 copies.
  if (single) {
    await sql.run("", `INSERT INTO span_scores (seq, "projectId", score) SELECT u.seq, $2, u.score FROM UNNEST($1::bigint[], $3::float8[]) AS u(seq, score) ${upsert}`, [spans.map((s) => s.seq), project, Array.from(scores)]);
  } else {
    await sql.run("", `INSERT INTO span_scores (seq, "projectId", score) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::float8[]) ${upsert}`, [spans.map((s) => s.seq), spans.map((s) => s.projectId), Array.from(scores)]);
  }
}
