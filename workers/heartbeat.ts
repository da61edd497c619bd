// Worker liveness rows (worker_heartbeats): one per process, so that several processes of one worker
// (one per host, or partitions of the scorer) each report their own. lib/health.ts reads them.
import os from "node:os";
import type { Db } from "@/lib/db";

/** A process's row is forgotten after it has not beaten for this long (an instance that was scaled down or crashed on another host). */
export const FORGET_AFTER_MS = 60 * 60_000;

export interface WorkerInstance {
  id: string;
  name: string;
  host: string;
  pid: number;
}

export function thisInstance(name: string): WorkerInstance {
  const host = os.hostname();
  return { id: `${name}@${host}:${process.pid}`, name, host, pid: process.pid };
}

/** Whether a process of this host is running (EPERM: it is, as another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function beat(db: Db, instance: WorkerInstance, startedAt: Date, stats: unknown): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { id: instance.id },
    create: { ...instance, startedAt, beatAt: now, stats: stats as never },
    update: { startedAt, beatAt: now, stats: stats as never },
  });
  await db.workerHeartbeat.deleteMany({ where: { beatAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } });
}

/**
 * At start: the rows of this worker's earlier processes on this host that are gone (killed, crashed: the
 * supervisor's restart replaces them) would otherwise read as dead workers until forgotten.
 */
export async function forgetGoneProcesses(db: Db, instance: WorkerInstance): Promise<void> {
  const rows = await db.workerHeartbeat.findMany({ where: { name: instance.name, host: instance.host, NOT: { id: instance.id } }, select: { id: true, pid: true } });
  const gone = rows.filter((r) => !processRunning(r.pid)).map((r) => r.id);
  if (gone.length > 0) await db.workerHeartbeat.deleteMany({ where: { id: { in: gone } } });
}

/** At a clean stop. */
export async function removeHeartbeat(db: Db, instance: WorkerInstance): Promise<void> {
  await db.workerHeartbeat.deleteMany({ where: { id: instance.id } });
}
