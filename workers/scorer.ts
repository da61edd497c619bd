// Scorer worker: scores newly ingested spans (per-step baselines, errors, rates) and completed traces
// (decision chains) and records anomalies. Partitions and leases let several processes share the work.
import type { Env } from "@/lib/env";
import type { ScorerOptions } from "@/lib/detect/partition-batch";
import { Scorer, SCORER_WORKER } from "@/lib/detect/scorer";
import { defineWorker } from "./runtime";

export function scorerOptionsFromEnv(env: Env): ScorerOptions {
  return {
    partitions: env.ARGUS_SCORER_PARTITIONS,
    batchSize: env.ARGUS_SCORER_BATCH,
    quietMs: env.ARGUS_TRACE_QUIET_MS,
    maxWaitMs: env.ARGUS_TRACE_MAX_WAIT_MS,
    leaseMs: env.ARGUS_SCORER_LEASE_MS,
  };
}

export const scorerWorker = defineWorker({
  name: SCORER_WORKER,
  pollMs: 100,
  maxTickMs: 120_000,
  start(ctx) {
    const scorer = new Scorer(ctx.db, ctx.raw, ctx.workerId, scorerOptionsFromEnv(ctx.env), (partition, o) =>
      ctx.log.debug("scorer batch committed", { partition, from: o.from, to: o.to, spans: o.spans, traces: o.traces, anomalies: o.anomalyIds.length }),
    );
    return {
      tick: async () => (await scorer.tick()).processed,
      teardown: () => scorer.stop(),
    };
  },
});
