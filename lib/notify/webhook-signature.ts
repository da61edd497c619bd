// HMAC-SHA256 signatures for generic webhooks: "v1=" + hex(HMAC(secret, `${timestamp}.${body}`)).
// Signing the timestamp with the body lets receivers reject replays outside a short window.
import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_HEADERS = {
  signature: "x-argus-signature",
  timestamp: "x-argus-timestamp",
  idempotencyKey: "x-argus-idempotency-key",
  deliveryId: "x-argus-delivery-id",
  event: "x-argus-event",
} as const;

/** Receivers should reject timestamps further than this from their clock. */
export const DEFAULT_REPLAY_WINDOW_SEC = 300;

export function signWebhook(secret: string, timestampSec: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex")}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: "missing_headers" | "bad_timestamp" | "outside_replay_window" | "bad_signature" };

/** The verification receivers run (mirrored in docs/webhooks.md). Accepts several "v1=" values for secret rotation. */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  nowSec?: number;
  toleranceSec?: number;
}): VerifyResult {
  if (!input.timestamp || !input.signature) return { ok: false, reason: "missing_headers" };
  if (!/^\d+$/.test(input.timestamp)) return { ok: false, reason: "bad_timestamp" };
  const ts = Number(input.timestamp);
  const now = input.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSec ?? DEFAULT_REPLAY_WINDOW_SEC)) return { ok: false, reason: "outside_replay_window" };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.body));
  const matches = input.signature
    .split(/[,\s]+/)
    .map((s) => Buffer.from(s.trim()))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return matches ? { ok: true } : { ok: false, reason: "bad_signature" };
}
