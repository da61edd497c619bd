// The commit of one scored batch, in one transaction: cursor compare-and-set first (fencing), then
// anomalies (idempotent on dedupKey), span scores, trace scores and changed detector state.
// Span scores use one prepared statement per row on SQLite and one UPDATE … FROM UNNEST on PostgreSQL.
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
  scores: ReadonlyMap<number, number>;
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
// alert step (record-alerts.ts) sees it again.
const UPSERT_TAIL = `ON CONFLICT ("dedupKey") DO UPDATE SET "score" = excluded."score", "severity" = excluded."severity", "explanation" = excluded."explanation",
  "observed" = excluded."observed", "details" = excluded."details", "alertId" = NULL WHERE excluded."score" > anomalies."score" + 1e-9 RETURNING "id"`;

export async function writeBatch(sql: Sql, w: BatchWrite): Promise<{ anomalyIds: string[] }> {
  if (!(await advanceCursor(sql, w.cursor, w.owner, w.from, w.to, w.now, w.leaseMs))) {
    throw new LeaseLostError(`lease on ${w.cursor} lost before commit`);
  }
  const created = dbTime(sql, w.now);
  const anomalyIds: string[] = [];
  for (const a of w.anomalies) {
    const values = [newId(w.now.getTime()), a.projectId, a.traceId, a.spanId, a.spanSeq, a.detector, a.metric, a.entity, a.observed, a.expected, a.expectedLow, a.expectedHigh, a.score, a.severity, a.explanation, JSON.stringify(a.details), a.fingerprint, a.dedupKey, created];
    const rows = await sql.all<{ id: string }>(
      `INSERT INTO anomalies (${ANOMALY_COLUMNS.map(q).join(",")}) VALUES (${ANOMALY_COLUMNS.map(() => "?").join(",")}) ${UPSERT_TAIL}`,
      `INSERT INTO anomalies (${ANOMALY_COLUMNS.map(q).join(",")}) VALUES (${ANOMALY_COLUMNS.map((c, i) => `$${i + 1}${c === "details" ? "::jsonb" : c === "createdAt" ? "::timestamp" : ""}`).join(",")}) ${UPSERT_TAIL}`,
      values,
    );
    for (const r of rows) anomalyIds.push(r.id);
  }

  const seqs = [...w.scores.keys()];
  if (sql.provider === "sqlite") {
    sql.runMany(`UPDATE spans SET "anomalyScore" = ? WHERE seq = ?`, seqs.map((s) => [w.scores.get(s)!, s]));
    sql.runMany(
      `UPDATE traces SET "scoredSeq" = ?, "anomalyScore" = ?, "anomalyCount" = (SELECT COUNT(*) FROM anomalies a WHERE a."projectId" = traces."projectId" AND a."traceId" = traces."traceId") WHERE "projectId" = ? AND "traceId" = ?`,
      w.traces.map((t) => [t.lastSeq, t.score, t.projectId, t.traceId]),
    );
    sql.runMany(
      `INSERT INTO detector_state (key, "projectId", detector, entity, state, "updatedAt") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, "updatedAt" = excluded."updatedAt"`,
      w.state.map((r) => [r.key, r.projectId, r.detector, r.entity, r.state, created]),
    );
  } else {
    if (seqs.length) {
      // The seq range lets the planner use the primary key even when table statistics are stale.
      await sql.run(
        "",
        `UPDATE spans AS s SET "anomalyScore" = u.score FROM UNNEST($1::bigint[], $2::float8[]) AS u(seq, score) WHERE s.seq = u.seq AND s.seq BETWEEN $3 AND $4`,
        [seqs, seqs.map((s) => w.scores.get(s)!), w.from + 1, w.to],
      );
    }
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
