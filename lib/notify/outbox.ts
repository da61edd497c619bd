// The delivery outbox: claim due rows with a lease (a conditional update, so two notifiers never
// send the same row at once), then record each attempt and schedule the next one.
import { instanceKey } from "../crypto/instance-key";
import type { Db } from "../db";
import { openChannel } from "./channel-secrets";
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import type { AlertNotification } from "./notification";
import type { AttemptResult } from "./send-delivery";

export interface OutboxOptions {
  maxAttempts: number;
  timeoutMs: number;
  backoff: BackoffOptions;
  /** Added to timeoutMs for the lease, so a live sender always finishes before its lease expires. */
  leaseMarginMs: number;
}

export function outboxOptions(over: Partial<OutboxOptions> & Pick<OutboxOptions, "maxAttempts" | "timeoutMs">): OutboxOptions {
  // Lease = 2 × timeout + 1 s: the sender's request is aborted at timeoutMs, leaving ample time to record it.
  return { backoff: DEFAULT_BACKOFF, leaseMarginMs: over.timeoutMs + 1_000, ...over };
}

export interface ClaimedDelivery {
  id: string;
  projectId: string;
  alertId: string | null;
  idempotencyKey: string;
  /** Number of this attempt (1-based); also the lease token. */
  attempt: number;
  payload: AlertNotification;
  channel: { id: string; type: string; url: string; secret: string | null; enabled: boolean };
}

const dueWhere = (now: Date) => ({
  OR: [
    { status: "pending", nextAttemptAt: { lte: now } },
    // A sender died mid-request (kill -9): its lease ran out, so the row is due again.
    { status: "sending", leaseUntil: { lt: now } },
  ],
});

export async function claimDueDeliveries(
  db: Db, opts: { limit: number; now: Date; options: OutboxOptions; skipChannelIds?: string[]; key?: Buffer },
): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  const candidates = await db.alertDelivery.findMany({
    where: { ...dueWhere(opts.now), ...(opts.skipChannelIds?.length ? { channelId: { notIn: opts.skipChannelIds } } : {}) },
    orderBy: { nextAttemptAt: "asc" },
    take: opts.limit,
    select: {
      id: true, projectId: true, alertId: true, idempotencyKey: true, attempts: true, payload: true,
      channel: { select: { id: true, type: true, url: true, secret: true, enabled: true } },
    },
  });
  const leaseUntil = new Date(opts.now.getTime() + opts.options.timeoutMs + opts.options.leaseMarginMs);
  const claimed: ClaimedDelivery[] = [];
  for (const c of candidates) {
    const won = await db.alertDelivery.updateMany({
      where: { id: c.id, attempts: c.attempts, ...dueWhere(opts.now) },
      data: { status: "sending", leaseUntil, attempts: c.attempts + 1 },
    });
    if (won.count === 1) {
      claimed.push({
        id: c.id, projectId: c.projectId, alertId: c.alertId, idempotencyKey: c.idempotencyKey, attempt: c.attempts + 1,
        payload: c.payload as unknown as AlertNotification, channel: openChannel(c.channel, opts.key ?? instanceKey().key),
      });
    }
  }
  return claimed;
}

export type AttemptOutcome = "delivered" | "pending" | "failed" | "lease_lost";

/** Records one attempt and moves the row on. A sender whose lease was taken over still logs its attempt. */
export async function completeAttempt(
  db: Db, claimed: ClaimedDelivery, result: AttemptResult, options: OutboxOptions, now: Date, random: () => number = Math.random,
): Promise<{ outcome: AttemptOutcome; nextAttemptAt: Date | null }> {
  const exhausted = claimed.attempt >= options.maxAttempts;
  let status: "delivered" | "pending" | "failed";
  let nextAttemptAt: Date | null = null;
  if (result.outcome === "delivered") status = "delivered";
  else if (result.outcome === "failed" || exhausted) status = "failed";
  else {
    status = "pending";
    const delay = result.retryAfterMs ?? backoffDelayMs(claimed.attempt, options.backoff, random);
    nextAttemptAt = new Date(now.getTime() + delay);
  }
  const error = result.outcome === "retry" && exhausted ? `${result.error ?? "failed"} (gave up after ${claimed.attempt} attempts)` : result.error;

  const updated = await db.$transaction(async (tx) => {
    await tx.deliveryAttempt.create({
      data: {
        deliveryId: claimed.id, attempt: claimed.attempt, startedAt: new Date(now.getTime() - result.durationMs),
        durationMs: result.durationMs, statusCode: result.statusCode, error: result.error,
      },
    });
    const row = await tx.alertDelivery.updateMany({
      where: { id: claimed.id, status: "sending", attempts: claimed.attempt },
      data: {
        status, leaseUntil: null, lastStatusCode: result.statusCode, lastError: error,
        ...(nextAttemptAt ? { nextAttemptAt } : {}), ...(status === "delivered" ? { deliveredAt: now } : {}),
      },
    });
    return row.count;
  });
  if (updated === 0) return { outcome: "lease_lost", nextAttemptAt: null };

  // Slack rate limits apply per webhook: hold the channel's other due rows until Retry-After passes.
  if (nextAttemptAt && result.retryAfterMs !== null) {
    await db.alertDelivery.updateMany({
      where: { channelId: claimed.channel.id, status: "pending", nextAttemptAt: { lt: nextAttemptAt } },
      data: { nextAttemptAt },
    });
  }
  return { outcome: status, nextAttemptAt };
}

/** A row whose channel was disabled after it was queued: fail it visibly (retryable by hand). */
export async function failClaimed(db: Db, claimed: ClaimedDelivery, reason: string): Promise<void> {
  await db.alertDelivery.updateMany({
    where: { id: claimed.id, status: "sending", attempts: claimed.attempt },
    data: { status: "failed", leaseUntil: null, lastError: reason, attempts: claimed.attempt - 1 },
  });
}
