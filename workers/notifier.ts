// Notifier worker: delivers the alert outbox (Slack, signed webhooks) and auto-resolves quiet alerts.
import { syncEnvChannels } from "@/lib/notify/sync-env-channels";
import { createNotifier, notifierConfigFromEnv, type NotifierConfig } from "@/lib/notify/notifier";
import { defineWorker, type WorkerContext } from "./runtime";

export const notifierWorker = defineWorker({
  name: "notifier",
  pollMs: 100,
  maxTickMs: 120_000,
  async start(ctx) {
    const synced = await syncEnvChannels(ctx.db, ctx.env);
    ctx.log.info("env channels synced", synced);
    const notifier = createNotifier({ db: ctx.db, env: ctx.env, log: ctx.log, config: notifierConfigFromEnv(ctx.env) });
    return {
      tick: () => notifier.tick(),
      // SIGTERM: stop claiming (the runtime stops ticking) and let in-flight requests finish and record.
      teardown: () => notifier.drain(),
    };
  },
});

/** One full pass for tests and scripts: housekeeping, claim, send, wait for every attempt to be recorded. */
export async function runNotifierOnce(ctx: Pick<WorkerContext, "db" | "env" | "log">, config?: Partial<NotifierConfig>): Promise<number> {
  const once = createNotifier({ db: ctx.db, env: ctx.env, log: ctx.log, config: notifierConfigFromEnv(ctx.env, config) });
  const started = await once.tick();
  await once.drain();
  return started;
}
