// Figures for GET /api/v1/status: what was ingested, what the workers scored, open alerts, lag.
import type { Db } from "./db";
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
    db.span.count({ where: { projectId, anomalyScore: { not: null } } }),
    db.trace.count({ where: { projectId } }),
    db.anomaly.count({ where: { projectId } }),
    db.alert.count({ where: { projectId, status: { not: "resolved" } } }),
    db.span.findFirst({ where: { projectId, anomalyScore: null }, orderBy: { seq: "asc" }, select: { receivedMs: true } }),
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
