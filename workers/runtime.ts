// The lifecycle every worker process shares: one loop, heartbeats, graceful stop on SIGTERM/SIGINT.
// A worker is a definition whose start() builds this process's worker (its state lives there, not in
// module variables) from the dependencies the entry point (workers/main.ts) constructed; the worker's
// tick() does one unit of work and says how many items it handled.
import { randomBytes } from "node:crypto";
import type { Db, RawDb } from "@/lib/db";
import type { Env } from "@/lib/env";
import { log, setProcessName } from "@/lib/log";
import { withSpan } from "@/lib/telemetry";
import { beat, forgetGoneProcesses, removeHeartbeat, thisInstance } from "./heartbeat";

export interface WorkerContext {
  db: Db;
  raw: RawDb;
  env: Env;
  log: typeof log;
  /** Aborted when the process is asked to stop; long work should check it between items. */
  signal: AbortSignal;
  /** Unique per process, used as lease owner. */
  workerId: string;
}

/** What a process's entry point constructs and hands to runWorker. */
export interface WorkerDeps {
  db: Db;
  raw: RawDb;
  env: Env;
}

/** One process's worker, built by WorkerDefinition.start. */
export interface RunningWorker {
  /** One unit of work; returns how many items it processed (0 means idle). */
  tick(): Promise<number>;
  teardown?(): Promise<void>;
  /** Extra figures to publish with each heartbeat (lag, counters). */
  stats?(): Promise<Record<string, unknown>>;
}

export interface WorkerDefinition {
  name: string;
  /** Sleep between ticks when the last tick found nothing to do. */
  pollMs?: number;
  /** Builds this process's worker (after any one-off setup it needs). */
  start(ctx: WorkerContext): Promise<RunningWorker> | RunningWorker;
  /**
   * A tick (or heartbeat) taking longer than this is stuck, e.g. on a database call that never returns
   * after a failover: the process logs it and exits so the supervisor restarts it. Work commits with its
   * progress, so exiting loses nothing. Leave unset for workers whose ticks are long by design.
   */
  maxTickMs?: number;
}

export function defineWorker(definition: WorkerDefinition): WorkerDefinition {
  return definition;
}

const HEARTBEAT_MS = 5_000;

function exitIfStuck(definition: WorkerDefinition, busySince: number | null): void {
  if (busySince === null || !definition.maxTickMs || Date.now() - busySince <= definition.maxTickMs) return;
  log.error("worker stuck: exiting to be restarted", { worker: definition.name, busyMs: Date.now() - busySince, maxTickMs: definition.maxTickMs });
  process.exit(70);
}
const MAX_ERROR_BACKOFF_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Runs a worker until SIGTERM/SIGINT (or the given signal) and then shuts down cleanly. The database
 * handles stay open: the entry point that opened them closes them.
 */
export async function runWorker(definition: WorkerDefinition, deps: WorkerDeps, external?: AbortSignal): Promise<void> {
  setProcessName(`worker:${definition.name}`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  external?.addEventListener("abort", stop, { once: true });

  const ctx: WorkerContext = {
    db: deps.db,
    raw: deps.raw,
    env: deps.env,
    log,
    signal: controller.signal,
    workerId: `${definition.name}-${process.pid}-${randomBytes(3).toString("hex")}`,
  };
  const startedAt = new Date();
  const instance = thisInstance(definition.name);
  await forgetGoneProcesses(ctx.db, instance).catch((error) => log.warn("heartbeat cleanup failed", { error: String(error) }));
  const worker = await definition.start(ctx);
  log.info("worker started", { worker: definition.name, workerId: ctx.workerId });

  let lastBeat = 0;
  let errorBackoff = 0;
  let busySince: number | null = null;
  const watchdog = definition.maxTickMs ? setInterval(() => exitIfStuck(definition, busySince), 1_000) : undefined;
  while (!controller.signal.aborted) {
    busySince = Date.now();
    if (Date.now() - lastBeat >= HEARTBEAT_MS) {
      lastBeat = Date.now();
      const stats = worker.stats ? await worker.stats().catch(() => undefined) : undefined;
      await beat(ctx.db, instance, startedAt, stats).catch((error) => log.warn("heartbeat failed", { error: String(error) }));
    }
    try {
      const started = performance.now();
      const processed = await withSpan(`worker ${definition.name} tick`, () => worker.tick(), { "argus.worker": definition.name });
      errorBackoff = 0;
      if (processed > 0) {
        log.debug("batch done", { worker: definition.name, processed, ms: Math.round(performance.now() - started) });
      } else {
        busySince = null;
        await sleep(definition.pollMs ?? 250, controller.signal);
      }
    } catch (error) {
      errorBackoff = Math.min(MAX_ERROR_BACKOFF_MS, errorBackoff ? errorBackoff * 2 : 500);
      const delay = errorBackoff / 2 + Math.random() * (errorBackoff / 2);
      log.error("tick failed", { worker: definition.name, error: (error as Error)?.stack ?? String(error), retryInMs: Math.round(delay) });
      busySince = null;
      await sleep(delay, controller.signal);
    }
  }
  clearInterval(watchdog);

  log.info("worker stopping", { worker: definition.name });
  await worker.teardown?.().catch((error) => log.warn("teardown failed", { error: String(error) }));
  await removeHeartbeat(ctx.db, instance).catch(() => {});
  process.off("SIGTERM", stop);
  process.off("SIGINT", stop);
}
