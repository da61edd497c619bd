// One HTTP attempt of one delivery, to Slack or a signed webhook, with a hard timeout.
// The result says what the outbox should do next; nothing here touches the database.
// Requests go through guardedFetch (public addresses only, checked at connect time). The recorded
// error is what every reader of the project sees: the status code or a fixed description of the
// failure, never the receiver's answer (it could be an internal service's) nor the URL (it may hold
// credentials).
import { STATUS_CODES } from "node:http";
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from "@slack/webhook";
import { guardedFetch, guardedFetchFunction, OutboundFailure, type GuardedFetchDeps } from "../net/guarded-fetch";
import type { OutboundPolicy } from "../net/outbound-policy";
import { redactUrlCredentials } from "../net/redact";
import { parseRetryAfterMs } from "./backoff";
import type { AlertNotification } from "./notification";
import { buildSlackMessage } from "./slack-message";
import { buildWebhookBody, webhookEventType } from "./webhook-body";
import { signWebhook, WEBHOOK_HEADERS } from "./webhook-signature";

export interface DeliveryTarget {
  type: string;
  url: string;
  secret: string | null;
}

export interface DeliveryRequest {
  deliveryId: string;
  idempotencyKey: string;
  payload: AlertNotification;
}

export interface SendOptions {
  publicUrl: string;
  timeoutMs: number;
  /** Which addresses may be reached (ARGUS_OUTBOUND_ALLOW). */
  policy: OutboundPolicy;
  now?: () => Date;
  /** Tests: the resolver and response limits of guardedFetch. */
  fetchDeps?: GuardedFetchDeps;
}

export interface AttemptResult {
  /** delivered: done; retry: transient, try again later; failed: permanent (bad URL, revoked webhook). */
  outcome: "delivered" | "retry" | "failed";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** From a 429/503 Retry-After header. */
  retryAfterMs: number | null;
}

const MAX_ERROR_CHARS = 300;

export function describeStatus(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** 2xx delivered; 408/425/429/5xx transient; any other status permanent. */
export function classifyStatus(status: number): AttemptResult["outcome"] {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 425 || status === 429 || status >= 500) return "retry";
  return "failed";
}

export async function sendDelivery(target: DeliveryTarget, request: DeliveryRequest, options: SendOptions): Promise<AttemptResult> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const finish = (partial: Omit<AttemptResult, "durationMs">): AttemptResult => ({ ...partial, durationMs: Math.round((performance.now() - started) * 10) / 10 });
  if (target.type === "slack") return finish(await sendSlack(target, request, options, now));
  if (target.type === "webhook") return finish(await sendWebhook(target, request, options, now));
  return finish({ outcome: "failed", statusCode: null, error: `unknown channel type ${target.type}`, retryAfterMs: null });
}

// @slack/webhook gives the status code and body on errors but not the response headers, so a
// fetch wrapper keeps the last Response to read Retry-After. Its own retries stay off (the outbox retries).
async function sendSlack(target: DeliveryTarget, request: DeliveryRequest, options: SendOptions, now: () => Date) {
  let response: Response | undefined;
  const guarded = guardedFetchFunction(options.policy, options.timeoutMs, options.fetchDeps);
  const webhook = new IncomingWebhook(target.url, {
    timeout: options.timeoutMs,
    retryConfig: { retries: 0 },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => (response = await guarded(input, init)),
  } as ConstructorParameters<typeof IncomingWebhook>[1]);
  try {
    await webhook.send(buildSlackMessage(request.payload, options.publicUrl));
    return { outcome: "delivered" as const, statusCode: response?.status ?? 200, error: null, retryAfterMs: null };
  } catch (error) {
    if (error instanceof IncomingWebhookHTTPError) {
      return {
        outcome: classifyStatus(error.statusCode),
        statusCode: error.statusCode,
        error: describeStatus(error.statusCode),
        retryAfterMs: parseRetryAfterMs(response?.headers.get("retry-after"), now()),
      };
    }
    const original = error instanceof IncomingWebhookRequestError ? error.original : error;
    return { outcome: networkOutcome(original), statusCode: response?.status ?? null, error: describeNetworkError(original), retryAfterMs: null };
  }
}

async function sendWebhook(target: DeliveryTarget, request: DeliveryRequest, options: SendOptions, now: () => Date) {
  const body = JSON.stringify(buildWebhookBody(request.payload, request.idempotencyKey, options.publicUrl));
  const timestamp = Math.floor(now().getTime() / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Argus-Webhook/1",
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.idempotencyKey]: request.idempotencyKey,
    [WEBHOOK_HEADERS.deliveryId]: request.deliveryId,
    [WEBHOOK_HEADERS.event]: webhookEventType(request.payload),
  };
  if (target.secret) headers[WEBHOOK_HEADERS.signature] = signWebhook(target.secret, timestamp, body);
  try {
    const response = await guardedFetch(target.url, { method: "POST", headers, body, timeoutMs: options.timeoutMs }, options.policy, options.fetchDeps);
    const outcome = classifyStatus(response.status);
    return {
      outcome,
      statusCode: response.status,
      error: outcome === "delivered" ? null : describeStatus(response.status),
      retryAfterMs: outcome === "retry" ? parseRetryAfterMs(response.headers.get("retry-after"), now()) : null,
    };
  } catch (error) {
    return { outcome: networkOutcome(error), statusCode: null, error: describeNetworkError(error), retryAfterMs: null };
  }
}

/** A refused address is a configuration error (no retry); anything else on the way may pass later. */
function networkOutcome(error: unknown): AttemptResult["outcome"] {
  return error instanceof OutboundFailure && error.kind === "refused" ? "failed" : "retry";
}

function describeNetworkError(error: unknown): string {
  if (error instanceof OutboundFailure) return redactUrlCredentials(error.message).slice(0, MAX_ERROR_CHARS);
  return "could not connect to the receiver";
}
