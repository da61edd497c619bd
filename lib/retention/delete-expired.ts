// Deletes one project's expired data in small batches, each batch its own short statement/transaction,
// so the writer lock (SQLite) or row locks (PostgreSQL) are held only briefly and ingestion keeps going.
// Open or acknowledged alerts are never deleted, nor the anomalies that belong to them.
import type { Db } from "../db";
import { startMinuteOf } from "../ingest/span-row";
import type { RetentionCutoff } from "./cutoff";

export interface DeletedCounts {
  spans: number;
  traces: number;
  rollups: number;
  anomalies: number;
  alerts: number;
}

export const emptyCounts = (): DeletedCounts => ({ spans: 0, traces: 0, rollups: 0, anomalies: 0, alerts: 0 });

export const totalDeleted = (c: DeletedCounts): number => c.spans + c.traces + c.rollups + c.anomalies + c.alerts;

/** Deletes at most `batch` rows of each kind; call again until it returns a total of 0. */
export async function deleteExpiredBatch(db: Db, projectId: string, cutoff: RetentionCutoff, batch: number): Promise<DeletedCounts> {
  const counts = emptyCounts();

  // startMinute bounds the scan on the spans time index; startNs decides.
  const spans = await db.span.findMany({ where: { projectId, startMinute: { lte: startMinuteOf(cutoff.ns) }, startNs: { lt: cutoff.ns } }, select: { seq: true }, take: batch });
  if (spans.length) {
    const seqs = spans.map((s) => s.seq);
    const [, deleted] = await db.$transaction([db.spanScore.deleteMany({ where: { seq: { in: seqs } } }), db.span.deleteMany({ where: { seq: { in: seqs } } })]);
    counts.spans = deleted.count;
  }

  const traces = await db.trace.findMany({ where: { projectId, endNs: { lt: cutoff.ns } }, select: { traceId: true }, take: batch });
  if (traces.length) counts.traces = (await db.trace.deleteMany({ where: { projectId, traceId: { in: traces.map((t) => t.traceId) } } })).count;

  const rollups = await db.spanRollup.findMany({ where: { projectId, minuteMs: { lt: BigInt(cutoff.ms) } }, select: { minuteMs: true }, take: batch, orderBy: { minuteMs: "asc" } });
  if (rollups.length) {
    const upTo = rollups[rollups.length - 1]!.minuteMs;
    counts.rollups = (await db.spanRollup.deleteMany({ where: { projectId, minuteMs: { lte: upTo, lt: BigInt(cutoff.ms) } } })).count;
  }

  const anomalies = await db.anomaly.findMany({
    where: { projectId, createdAt: { lt: cutoff.date }, OR: [{ alertId: null }, { alert: { status: "resolved" } }] },
    select: { id: true },
    take: batch,
  });
  if (anomalies.length) counts.anomalies = (await db.anomaly.deleteMany({ where: { id: { in: anomalies.map((a) => a.id) } } })).count;

  const alerts = await db.alert.findMany({ where: { projectId, status: "resolved", lastSeenAt: { lt: cutoff.date } }, select: { id: true }, take: batch });
  if (alerts.length) {
    const ids = alerts.map((a) => a.id);
    // Explicit children first: SQLite enforces ON DELETE CASCADE only with foreign_keys on for the connection.
    counts.alerts = await db.$transaction(async (tx) => {
      await tx.deliveryAttempt.deleteMany({ where: { delivery: { alertId: { in: ids } } } });
      await tx.alertDelivery.deleteMany({ where: { alertId: { in: ids } } });
      await tx.anomaly.updateMany({ where: { alertId: { in: ids } }, data: { alertId: null } });
      return (await tx.alert.deleteMany({ where: { id: { in: ids }, status: "resolved" } })).count;
    });
  }
  return counts;
}
