// Liveness of the database and of the worker processes, for /api/health and the status API.
// Anonymous callers (load balancers, uptime checks) learn only ok/degraded; the host names, process
// ids and database errors are for instance admins.
import { pingDb, type Db, type RawDb } from "./db";

/** A worker that has not beaten for this long is reported dead (heartbeats are every 5 s). */
export const WORKER_STALE_MS = 20_000;

/** One worker process. */
export interface WorkerLiveness {
  name: string;
  alive: boolean;
  host: string;
  pid: number;
  lastBeatAt: string;
  stats: unknown;
}

export interface Health {
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; provider: RawDb["provider"]; error?: string };
  workers: WorkerLiveness[];
}

/**
 * How many processes of one worker (by name) are alive: the scorer sizes its share of the partitions
 * with this, so that health and partition sharing agree on who is alive.
 */
export async function countLiveWorkers(db: Db, name: string, now: Date): Promise<number> {
  return db.workerHeartbeat.count({ where: { name, beatAt: { gte: new Date(now.getTime() - WORKER_STALE_MS) } } });
}

export async function readWorkerLiveness(db: Db, now: Date): Promise<WorkerLiveness[]> {
  const beats = await db.workerHeartbeat.findMany({ orderBy: [{ name: "asc" }, { host: "asc" }, { pid: "asc" }] });
  return beats.map((b) => ({
    name: b.name,
    alive: now.getTime() - b.beatAt.getTime() < WORKER_STALE_MS,
    host: b.host,
    pid: b.pid,
    lastBeatAt: b.beatAt.toISOString(),
    stats: b.stats,
  }));
}

export async function checkHealth(db: Db, raw: RawDb, now: Date): Promise<Health> {
  try {
    await pingDb(raw);
  } catch (error) {
    return { status: "down", database: { ok: false, provider: raw.provider, error: (error as Error).message }, workers: [] };
  }
  const workers = await readWorkerLiveness(db, now).catch(() => []);
  const status = workers.every((w) => w.alive) ? "ok" : "degraded";
  return { status, database: { ok: true, provider: raw.provider }, workers };
}

/** What anyone may know: whether all is well. */
export function publicHealth(health: Health): { status: "ok" | "degraded" } {
  return { status: health.status === "ok" ? "ok" : "degraded" };
}
