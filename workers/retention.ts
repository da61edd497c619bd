// Retention worker: for every project with retentionDays set, deletes expired data in small batches
// with a pause between them (never blocking ingestion), then rests until the next pass is due. Each
// pass also removes expired dashboard sessions and sign-in throttling counters. Audit entries are not
// project data: they go only when ARGUS_AUDIT_RETENTION_DAYS is set (lib/audit/prune-audit.ts).
import { pruneAuditBatch } from "@/lib/audit/prune-audit";
import { sealPending } from "@/lib/audit/seal-audit";
import { purgeExpiredThrottles } from "@/lib/auth/login-throttle";
import { purgeExpiredSessions } from "@/lib/retention/purge-sessions";
import { passDue, retentionCutoff } from "@/lib/retention/cutoff";
import { deleteExpiredBatch, emptyCounts, totalDeleted, type DeletedCounts } from "@/lib/retention/delete-expired";
import { defineWorker, type WorkerContext } from "./runtime";

type PassCounts = DeletedCounts & { sessions: number; throttles: number; auditEntries: number };

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** One full pass over every project; stops between batches when the worker is asked to stop. */
export async function runRetentionPass(ctx: Pick<WorkerContext, "db" | "env" | "log" | "signal">, nowMs = Date.now()): Promise<PassCounts> {
  const total = emptyCounts();
  const sessions = await purgeExpiredSessions(ctx.db, new Date(nowMs));
  const throttles = await purgeExpiredThrottles(ctx.db, nowMs);
  const projects = await ctx.db.project.findMany({ where: { retentionDays: { not: null } }, select: { id: true, name: true, retentionDays: true } });
  for (const project of projects) {
    const cutoff = retentionCutoff(nowMs, project.retentionDays);
    if (!cutoff) continue;
    while (!ctx.signal.aborted) {
      const batch = await deleteExpiredBatch(ctx.db, project.id, cutoff, ctx.env.ARGUS_RETENTION_BATCH);
      if (totalDeleted(batch) === 0) break;
      for (const key of Object.keys(total) as (keyof DeletedCounts)[]) total[key] += batch[key];
      await pause(ctx.env.ARGUS_RETENTION_PAUSE_MS, ctx.signal);
    }
  }
  const auditEntries = await pruneAudit(ctx, nowMs);
  if (totalDeleted(total) + sessions + throttles + auditEntries > 0) ctx.log.info("retention pass deleted expired data", { ...total, sessions, throttles, auditEntries });
  return { ...total, sessions, throttles, auditEntries };
}

/** Seals audit entries a stopped process left unsealed; with ARGUS_AUDIT_RETENTION_DAYS, prunes the old ones. */
async function pruneAudit(ctx: Pick<WorkerContext, "db" | "env" | "log" | "signal">, nowMs: number): Promise<number> {
  await sealPending(ctx.db);
  const cutoff = retentionCutoff(nowMs, ctx.env.ARGUS_AUDIT_RETENTION_DAYS);
  let pruned = 0;
  while (cutoff && !ctx.signal.aborted) {
    const batch = await pruneAuditBatch(ctx.db, { before: cutoff.date, batch: ctx.env.ARGUS_RETENTION_BATCH });
    if (batch.problem) {
      ctx.log.error("audit retention stopped: the oldest audit entries fail verification; run `argus audit verify`", { ...batch.problem });
      break;
    }
    if (batch.pruned === 0) break;
    pruned += batch.pruned;
    await pause(ctx.env.ARGUS_RETENTION_PAUSE_MS, ctx.signal);
  }
  return pruned;
}

export const retentionWorker = defineWorker({
  name: "retention",
  pollMs: 30_000,
  start(ctx) {
    let lastPassEndMs: number | null = null;
    let lastPass: PassCounts = { ...emptyCounts(), sessions: 0, throttles: 0, auditEntries: 0 };
    return {
      async tick() {
        if (!passDue(lastPassEndMs, Date.now(), ctx.env.ARGUS_RETENTION_INTERVAL_MS)) return 0;
        lastPass = await runRetentionPass(ctx);
        lastPassEndMs = Date.now();
        return 0;
      },
      stats: async () => ({ lastPassAt: lastPassEndMs ? new Date(lastPassEndMs).toISOString() : null, lastPassDeleted: lastPass }),
    };
  },
});
