// The delivery engine the notifier worker runs: claims due outbox rows up to a concurrency budget,
// sends them without waiting for each other (a slow or dead channel holds only its own slots),
// records every attempt, and periodically auto-resolves quiet alerts and syncs env channels.
import type { Db } from "../db";
import type { Env } from "../env";
import type { log as Log } from "../log";
import { autoResolveAlerts } from "../alerts/auto-resolve";
import { alertPolicyFromEnv, type AlertPolicy } from "../alerts/policy";
import type { GuardedFetchDeps } from "../net/guarded-fetch";
import type { OutboundPolicy } from "../net/outbound-policy";
import { outboundPolicy } from "../net/policy-from-env";
import { claimDueDeliveries, completeAttempt, failClaimed, outboxOptions, type ClaimedDelivery, type OutboxOptions } from "./outbox";
import { sendDelivery } from "./send-delivery";
import { syncEnvChannels } from "./sync-env-channels";

export interface NotifierConfig {
  outbox: OutboxOptions;
  policy: AlertPolicy;
  publicUrl: string;
  /** Addresses deliveries may reach (ARGUS_OUTBOUND_ALLOW). */
  outbound: OutboundPolicy;
  fetchDeps?: GuardedFetchDeps;
  maxInFlight: number;
  maxInFlightPerChannel: number;
  housekeepingEveryMs: number;
}

/** Deliveries one notifier sends at once. */
export const NOTIFIER_MAX_IN_FLIGHT = 16;

export function notifierConfigFromEnv(env: Env, over: Partial<NotifierConfig> = {}): NotifierConfig {
  return {
    outbox: outboxOptions({ maxAttempts: env.ARGUS_DELIVERY_MAX_ATTEMPTS, timeoutMs: env.ARGUS_DELIVERY_TIMEOUT_MS }),
    policy: alertPolicyFromEnv(env),
    publicUrl: env.publicUrl,
    outbound: outboundPolicy(env),
    maxInFlight: NOTIFIER_MAX_IN_FLIGHT,
    maxInFlightPerChannel: 2,
    housekeepingEveryMs: 15_000,
    ...over,
  };
}

export interface NotifierDeps {
  db: Db;
  env: Env;
  log: typeof Log;
  config: NotifierConfig;
}

export function createNotifier(deps: NotifierDeps) {
  const { db, config } = deps;
  const inFlight = new Set<Promise<void>>();
  const perChannel = new Map<string, number>();
  let lastHousekeeping = 0;

  async function deliver(claimed: ClaimedDelivery): Promise<void> {
    if (!claimed.channel.enabled) return failClaimed(db, claimed, "channel disabled");
    const result = await sendDelivery(claimed.channel, { deliveryId: claimed.id, idempotencyKey: claimed.idempotencyKey, payload: claimed.payload }, { publicUrl: config.publicUrl, timeoutMs: config.outbox.timeoutMs, policy: config.outbound, fetchDeps: config.fetchDeps });
    const done = await completeAttempt(db, claimed, result, config.outbox, new Date());
    const fields = { deliveryId: claimed.id, alertId: claimed.alertId, channelId: claimed.channel.id, attempt: claimed.attempt, statusCode: result.statusCode, ms: result.durationMs };
    if (done.outcome === "delivered") deps.log.info("delivery sent", fields);
    else deps.log.warn("delivery attempt failed", { ...fields, outcome: done.outcome, error: result.error, nextAttemptAt: done.nextAttemptAt });
  }

  function start(claimed: ClaimedDelivery): void {
    const channelId = claimed.channel.id;
    perChannel.set(channelId, (perChannel.get(channelId) ?? 0) + 1);
    const task = deliver(claimed)
      .catch((error) => deps.log.error("delivery crashed", { deliveryId: claimed.id, error: (error as Error)?.stack ?? String(error) }))
      .finally(() => {
        inFlight.delete(task);
        const left = (perChannel.get(channelId) ?? 1) - 1;
        if (left > 0) perChannel.set(channelId, left);
        else perChannel.delete(channelId);
      });
    inFlight.add(task);
  }

  async function housekeeping(now: Date): Promise<number> {
    if (now.getTime() - lastHousekeeping < config.housekeepingEveryMs) return 0;
    lastHousekeeping = now.getTime();
    await syncEnvChannels(db, deps.env);
    return autoResolveAlerts(db, config.policy, now);
  }

  /** Claims what fits in the free slots and starts sending; returns how many it started (0 = idle). */
  async function tick(now = new Date()): Promise<number> {
    const resolved = await housekeeping(now);
    if (inFlight.size >= config.maxInFlight) {
      await Promise.race(inFlight);
      return 1;
    }
    const saturated = [...perChannel].filter(([, n]) => n >= config.maxInFlightPerChannel).map(([id]) => id);
    const claimed = await claimDueDeliveries(db, { limit: config.maxInFlight - inFlight.size, now, options: config.outbox, skipChannelIds: saturated });
    for (const c of claimed) start(c);
    return claimed.length + resolved;
  }

  async function drain(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return { tick, drain, inFlightCount: () => inFlight.size, forceHousekeeping: () => { lastHousekeeping = 0; } };
}

export type Notifier = ReturnType<typeof createNotifier>;
