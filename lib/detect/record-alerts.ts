// Turns committed anomalies into alerts. The scorer commits anomalies with the raw driver (speed);
// the anomalies table itself is the durable queue for this step: rows with alertId NULL are not yet
// recorded. recordAnomalies (lib/alerts) links them to their alert inside the same Prisma
// transaction that writes the alert change and its outbox rows, so a crash at any point either
// leaves them unlinked (retried) or fully recorded — never both, never lost.
import type { Db } from "@/lib/db";
import { perDialect, render, sql, type Dialect } from "@/lib/db/sql";
import { toDate } from "@/lib/db/sql-values";
import { takeWriteLock } from "@/lib/db/write-lock";
import { recordAnomalies } from "@/lib/alerts/record-anomalies";
import type { AnomalyForAlert } from "@/lib/alerts/types";

export const ALERT_BATCH = 200;
/** How long a span's anomaly waits at most for its trace to be scored (the scorer's default max wait). */
export const DEFAULT_HOLD_MS = 60_000;

/** An anomaly row as the raw query returns it: times as the driver gives them (text on SQLite). */
type Row = Omit<AnomalyForAlert, "createdAt" | "occurredAt" | "agent" | "step" | "model"> & { createdAt: unknown; occurredAt: unknown };

/**
 * The next unlinked anomalies, oldest first. A span's anomaly waits (up to `holdMs`) while its trace
 * has not been scored as a chain: the trace's run-level signals (a loop, a new path) come with that
 * scoring, and an incident recorded before them would open with a symptom as its headline.
 */
function pendingQuery(holdCutoff: Date) {
  return sql`SELECT a.id, a."projectId", a.detector, a.entity, a.severity, a.score, a.explanation, a.fingerprint, a."traceId", a."spanId",
      a.metric, a.observed, a.expected, a."createdAt", a."occurredAt"
    FROM anomalies a
    WHERE a."alertId" IS NULL AND a.feedback IS NULL
      AND NOT (a."spanId" IS NOT NULL AND a."createdAt" > ${holdCutoff} AND EXISTS (
        SELECT 1 FROM traces t WHERE t."projectId" = a."projectId" AND t."traceId" = a."traceId" AND t."scoredSeq" IS NULL))
    ORDER BY a."createdAt" LIMIT ${ALERT_BATCH}
    ${perDialect({ sqlite: sql``, postgresql: sql`FOR UPDATE OF a SKIP LOCKED` })}`;
}

/** Records up to ALERT_BATCH unlinked anomalies; returns how many. Safe to run from several workers. */
export async function recordPendingAlerts(db: Db, provider: Dialect, now: Date, holdMs = DEFAULT_HOLD_MS): Promise<number> {
  return db.$transaction(async (tx) => {
    if (provider === "sqlite") await takeWriteLock(tx);
    const { text, values } = render(pendingQuery(new Date(now.getTime() - holdMs)), provider);
    const rows = await tx.$queryRawUnsafe<Row[]>(text, ...values);
    if (rows.length === 0) return 0;
    const anomalies: AnomalyForAlert[] = rows.map((r) => ({
      ...r,
      score: Number(r.score),
      observed: r.observed === null ? null : Number(r.observed),
      expected: r.expected === null ? null : Number(r.expected),
      createdAt: toDate(r.createdAt)!,
      occurredAt: toDate(r.occurredAt),
    }));
    await recordAnomalies(tx as never, anomalies, now);
    return rows.length;
  }, { maxWait: 10_000, timeout: 30_000 });
}
