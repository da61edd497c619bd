// Figures for GET /api/v1/status: what was ingested, what the workers scored, open alerts, lag.
import type { Db } from "./db";
import { partitionBuckets } from "./detect/store-lease";
import { readWorkerLiveness, type WorkerLiveness } from "./health";

export interface ProjectStatus {
  project: { id: string; name: string };
  spans: { ingested: number; scored: number; pending: number };
  traces: { count: number };
  anomalies: { total: number };
  alerts: { open: number };
  workers: WorkerLiveness[];
  lag: { spans: number; oldestUnscoredAgeMs: number | null };
}

export async function readProjectStatus(db: Db, projectId: string, now: Date): Promise<ProjectStatus> {
  const [project, ingested, scored, traces, anomalies, openAlerts, oldestUnscored, workers] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true, name: true } }),
    db.span.count({ where: { projectId } }),
    db.spanScore.count({ where: { projectId } }),
    db.trace.count({ where: { projectId } }),
    db.anomaly.count({ where: { projectId } }),
    db.alert.count({ where: { projectId, status: { not: "resolved" } } }),
    oldestUnscoredSpan(db, projectId),
    readWorkerLiveness(db, now),
  ]);
  return {
    project,
    spans: { ingested, scored, pending: ingested - scored },
    traces: { count: traces },
    anomalies: { total: anomalies },
    alerts: { open: openAlerts },
    workers,
    lag: {
      spans: ingested - scored,
      oldestUnscoredAgeMs: oldestUnscored ? Math.max(0, now.getTime() - Number(oldestUnscored.receivedMs)) : null,
    },
  };
}

const PARTITION = /^scorer:p(\d+)of(\d+)$/;

/**
 * The oldest span the scorer has not reached: per partition cursor of the current layout, the first
 * span of its buckets after its position (spans up to the cursor were scored in the same commit).
 */
async function oldestUnscoredSpan(db: Db, projectId: string): Promise<{ receivedMs: bigint } | null> {
  const cursors = (await db.workerCursor.findMany({ where: { name: { startsWith: "scorer:p" } }, select: { name: true, position: true, updatedAt: true }, orderBy: { updatedAt: "desc" } }))
    .map((c) => ({ match: PARTITION.exec(c.name), position: c.position }))
    .filter((c) => c.match !== null);
  // The partition layout in use is the one whose cursor moved last.
  const layout = cursors.length ? Number(cursors[0]!.match![2]) : 0;
  const current = cursors.filter((c) => Number(c.match![2]) === layout);
  if (current.length === 0) return db.span.findFirst({ where: { projectId }, orderBy: { seq: "asc" }, select: { receivedMs: true } });
  const firsts = await Promise.all(
    current.map((c) => {
      const buckets = partitionBuckets(Number(c.match![1]), layout);
      return db.span.findFirst({ where: { projectId, seq: { gt: c.position }, ...(buckets ? { bucket: { in: buckets } } : {}) }, orderBy: { seq: "asc" }, select: { receivedMs: true } });
    }),
  );
  let oldest: { receivedMs: bigint } | null = null;
  for (const f of firsts) if (f && (!oldest || f.receivedMs < oldest.receivedMs)) oldest = f;
  return oldest;
}
