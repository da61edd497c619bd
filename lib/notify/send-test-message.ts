// "Send test message": one synchronous attempt, recorded in the outbox and its attempt log like any
// other delivery (reason "test"), so a failing channel shows why in the same place. The answer says
// whether it was delivered and the status code, never the receiver's body, and how long it took only
// when the receiver answered.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import type { OutboundPolicy } from "../net/outbound-policy";
import { findOpenChannel } from "./channels";
import { testNotification } from "./notification";
import { completeAttempt, outboxOptions } from "./outbox";
import { sendDelivery } from "./send-delivery";

export async function sendTestMessage(db: Db, projectId: string, channelId: string, opts: { publicUrl: string; timeoutMs: number; policy: OutboundPolicy; now: Date }) {
  const channel = await findOpenChannel(db, projectId, channelId);
  const payload = testNotification(opts.now);
  const options = outboxOptions({ maxAttempts: 1, timeoutMs: opts.timeoutMs });
  const delivery = await db.alertDelivery.create({
    data: {
      projectId, channelId: channel.id, reason: "test", payload: payload as object, status: "sending", attempts: 1,
      leaseUntil: new Date(opts.now.getTime() + options.timeoutMs + options.leaseMarginMs),
      idempotencyKey: `test:${channel.id}:${randomBytes(8).toString("hex")}`,
    },
  });
  const result = await sendDelivery(channel, { deliveryId: delivery.id, idempotencyKey: delivery.idempotencyKey, payload }, { publicUrl: opts.publicUrl, timeoutMs: opts.timeoutMs, policy: opts.policy });
  await completeAttempt(db, {
    id: delivery.id, projectId, alertId: null, idempotencyKey: delivery.idempotencyKey, attempt: 1, payload, channel,
  }, result, options, new Date());
  // The time is told only when the receiver answered: how long a failed connection took would tell a
  // closed port (refused at once) from a filtered one (the timeout).
  return { deliveryId: delivery.id, delivered: result.outcome === "delivered", statusCode: result.statusCode, error: result.error, ...(result.statusCode !== null ? { durationMs: result.durationMs } : {}) };
}
