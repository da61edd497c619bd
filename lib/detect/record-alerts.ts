// Turns committed anomalies into alerts. The scorer commits anomalies with the raw driver (speed);
// the anomalies table itself is the durable queue for this step: rows with alertId NULL are not yet
// recorded. recordAnomalies (lib/alerts) links them to their alert inside the same Prisma
// transaction that writes the alert change and its outbox rows, so a crash at any point either
// leaves them unlinked (retried) or fully recorded — never both, never lost.
import type { Db } from "@/lib/db";
import { takeWriteLock } from "@/lib/db/write-lock";
import { recordAnomalies } from "@/lib/alerts/record-anomalies";
import type { AnomalyForAlert } from "@/lib/alerts/types";

export const ALERT_BATCH = 200;

/** An anomaly row as read back from the table (the optional notification extras it stores). */
type Row = Omit<AnomalyForAlert, "spanId" | "metric" | "observed" | "expected" | "agent" | "step" | "model"> & {
  spanId: string | null;
  metric: string;
  observed: number | null;
  expected: number | null;
};

/** Records up to ALERT_BATCH unlinked anomalies; returns how many. Safe to run from several workers. */
export async function recordPendingAlerts(db: Db, provider: "sqlite" | "postgresql", now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    let rows: Row[];
    if (provider === "postgresql") {
      rows = await tx.$queryRawUnsafe<Row[]>(
        `SELECT id, "projectId", detector, entity, severity, score, explanation, fingerprint, "traceId", "createdAt", "spanId", metric, observed, expected
         FROM anomalies WHERE "alertId" IS NULL AND feedback IS NULL ORDER BY "createdAt" LIMIT ${ALERT_BATCH} FOR UPDATE SKIP LOCKED`,
      );
    } else {
      await takeWriteLock(tx);
      rows = (await tx.anomaly.findMany({
        where: { alertId: null, feedback: null },
        orderBy: { createdAt: "asc" },
        take: ALERT_BATCH,
        select: { id: true, projectId: true, detector: true, entity: true, severity: true, score: true, explanation: true, fingerprint: true, traceId: true, createdAt: true, spanId: true, metric: true, observed: true, expected: true },
      })) as Row[];
    }
    if (rows.length === 0) return 0;
    const anomalies: AnomalyForAlert[] = rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
    await recordAnomalies(tx as never, anomalies, now);
    return rows.length;
  }, { maxWait: 10_000, timeout: 30_000 });
}
