// Invariants checked after load and faults: acknowledged spans stored, every span scored exactly once,
// anomalies linked to alerts, and no duplicated notifications.
import type { Db } from "@/lib/db";

/**
 * Traces whose stored span count is below what was acknowledged (should be empty). The project is part of the filter
 * so that the spans' (projectId, traceId, spanId) index serves each lookup: on traceId alone, every
 * chunk of 500 traces scanned the whole index (after a 10-minute soak, 8 million entries per chunk).
 */
export async function missingAcknowledged(db: Db, projectId: string, acked: Map<string, number>): Promise<Array<{ traceId: string; acked: number; stored: number }>> {
  const stored = new Map<string, number>();
  const ids = [...acked.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const groups = await db.span.groupBy({ by: ["traceId"], where: { projectId, traceId: { in: ids.slice(i, i + 500) } }, _count: { _all: true } });
    for (const g of groups) stored.set(g.traceId, g._count._all);
  }
  return [...acked].filter(([id, n]) => (stored.get(id) ?? 0) < n).map(([traceId, n]) => ({ traceId, acked: n, stored: stored.get(traceId) ?? 0 }));
}

export interface Progress {
  spans: number;
  unscoredSpans: number;
  unscoredTraces: number;
  unlinkedAnomalies: number;
}

export async function progress(db: Db): Promise<Progress> {
  // Spans and scores are counted in one statement, so in one snapshot: counted apart under load, the
  // scores could be counted after more spans were scored and the lag came out negative.
  const [[counts], unscoredTraces, unlinkedAnomalies] = await Promise.all([
    db.$queryRawUnsafe<Array<{ spans: bigint | number; scored: bigint | number }>>(
      "SELECT (SELECT COUNT(*) FROM spans) AS spans, (SELECT COUNT(*) FROM span_scores) AS scored", // one score row per scored span
    ),
    db.trace.count({ where: { scoredSeq: null } }),
    db.anomaly.count({ where: { alertId: null } }),
  ]);
  const spans = Number(counts!.spans);
  return { spans, unscoredSpans: spans - Number(counts!.scored), unscoredTraces, unlinkedAnomalies };
}

export const caughtUp = (p: Progress) => p.unscoredSpans === 0 && p.unscoredTraces === 0 && p.unlinkedAnomalies === 0;

export interface Commit {
  worker: string;
  partition: string;
  from: number;
  to: number;
}

/** "scorer batch committed" debug lines of scorer processes. */
export function commitsFromLogs(worker: string, lines: Array<Record<string, unknown>>): Commit[] {
  return lines
    .filter((l) => l.msg === "scorer batch committed")
    .map((l) => ({ worker, partition: String(l.partition), from: Number(l.from), to: Number(l.to) }));
}

/** Seq ranges that two commits of the same partition both covered (should be empty). */
export function overlappingCommits(commits: Commit[]): Array<[Commit, Commit]> {
  const byPartition = new Map<string, Commit[]>();
  for (const c of commits) byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), c]);
  const overlaps: Array<[Commit, Commit]> = [];
  for (const list of byPartition.values()) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) if (list[i]!.from < list[i - 1]!.to) overlaps.push([list[i - 1]!, list[i]!]);
  }
  return overlaps;
}

/** Outbox rows that repeat a notification: the same alert, channel and reason twice (escalations and reminders may repeat). */
export async function duplicatedNotifications(db: Db): Promise<Array<{ alertId: string | null; channelId: string; reason: string; n: number }>> {
  const groups = await db.alertDelivery.groupBy({ by: ["alertId", "channelId", "reason"], where: { reason: { in: ["opened", "resolved"] } }, _count: { _all: true } });
  return groups.filter((g) => g._count._all > 1).map((g) => ({ alertId: g.alertId, channelId: g.channelId, reason: g.reason, n: g._count._all }));
}

/**
 * The same finding stored twice (SQL, independent of the dedupKey unique index): one span or trace, one
 * detector and metric.
 */
export async function duplicatedAnomalies(db: Db): Promise<Array<{ traceId: string; spanId: string; detector: string; metric: string; n: number }>> {
  const rows = await db.$queryRawUnsafe<Array<{ traceId: string; spanId: string; detector: string; metric: string; n: bigint | number }>>(
    `SELECT "traceId", COALESCE("spanId", '') AS "spanId", "detector", "metric", COUNT(*) AS n FROM anomalies
     GROUP BY "projectId", "traceId", COALESCE("spanId", ''), "detector", "metric" HAVING COUNT(*) > 1 LIMIT 20`,
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** SQLite only: "ok" when the file is consistent. */
export async function integrityCheck(db: Db): Promise<string> {
  const rows = await db.$queryRawUnsafe<Array<{ integrity_check: string }>>("PRAGMA integrity_check");
  return rows.map((r) => r.integrity_check).join("; ");
}

/** Fingerprints with more than one active (open or acknowledged) alert (the unique index should forbid it). */
export async function duplicatedActiveAlerts(db: Db): Promise<string[]> {
  const groups = await db.alert.groupBy({ by: ["projectId", "fingerprint"], where: { status: { not: "resolved" } }, _count: { _all: true } });
  return groups.filter((g) => g._count._all > 1).map((g) => g.fingerprint);
}

export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Webhook requests seen by the receiver: a redelivery after a crash carries the same idempotency key. */
export function receivedDeliveries(requests: Array<{ headers: Record<string, string | string[] | undefined> }>): { requests: number; distinctKeys: number } {
  const keys = new Set(requests.map((r) => String(r.headers["x-argus-idempotency-key"])));
  return { requests: requests.length, distinctKeys: keys.size };
}

/** Outbox rows not delivered yet (pending, sending or failed). */
export const undelivered = (db: Db) => db.alertDelivery.count({ where: { status: { not: "delivered" } } });
