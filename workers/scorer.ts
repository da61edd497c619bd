// Scorer worker: scores newly ingested spans (per-step baselines, errors, rates) and completed traces
// (decision chains) and records anomalies. Partitions and leases let several processes share the work.
import type { Env } from "@/lib/env";
import type { ScorerOptions } from "@/lib/detect/partition-batch";
import { Scorer, SCORER_WORKER } from "@/lib/detect/scorer";
import { defineWorker, type WorkerContext } from "./runtime";

export function scorerOptionsFromEnv(env: Env): ScorerOptions {
  return {
    partitions: env.ARGUS_SCORER_PARTITIONS,
    batchSize: env.ARGUS_SCORER_BATCH,
    quietMs: env.ARGUS_TRACE_QUIET_MS,
    maxWaitMs: env.ARGUS_TRACE_MAX_WAIT_MS,
    leaseMs: env.ARGUS_SCORER_LEASE_MS,
  };
}

const scorers = new Map<string, Scorer>();

function scorerFor(ctx: Pick<WorkerContext, "db" | "raw" | "env" | "log" | "workerId">): Scorer {
  let s = scorers.get(ctx.workerId);
  if (!s) {
    s = new Scorer(ctx.db, ctx.raw, ctx.workerId, scorerOptionsFromEnv(ctx.env), (partition, o) =>
      ctx.log.debug("scorer batch committed", { partition, from: o.from, to: o.to, spans: o.spans, traces: o.traces, anomalies: o.anomalyIds.length }),
    );
    scorers.set(ctx.workerId, s);
  }
  return s;
}

/** One tick of the scorer for this worker id: what the worker loop runs, callable from tests. */
export async function runScorerBatch(ctx: Pick<WorkerContext, "db" | "raw" | "env" | "log" | "workerId">, now = new Date()): Promise<number> {
  return (await scorerFor(ctx).tick(now)).processed;
}

export async function stopScorer(workerId: string): Promise<void> {
  await scorers.get(workerId)?.stop();
  scorers.delete(workerId);
}

export const scorerWorker = defineWorker({
  name: SCORER_WORKER,
  pollMs: 100,
  maxTickMs: 120_000,
  tick: (ctx) => runScorerBatch(ctx),
  teardown: (ctx) => stopScorer(ctx.workerId),
});
