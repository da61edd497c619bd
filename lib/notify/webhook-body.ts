// The JSON body of a generic webhook: the notification plus links and the delivery's identity.
import { alertUrl, traceUrl } from "./format";
import type { Signal } from "../alerts/signals";
import type { AlertNotification } from "./notification";

export interface WebhookBody {
  /** Same value as the X-Argus-Idempotency-Key header: drop a body you have already processed. */
  id: string;
  type: string;
  createdAt: string;
  alert: (NonNullable<AlertNotification["alert"]> & { url: string }) | null;
  anomaly: (NonNullable<AlertNotification["anomaly"]> & { traceUrl: string }) | null;
  /** The incident's other signals (the anomaly above is its headline), causes first; [] when there are none. */
  relatedSignals: Array<Signal & { traceUrl: string }>;
  relatedSignalsOmitted: number;
}

export function webhookEventType(n: AlertNotification): string {
  return n.reason === "test" ? "test" : `alert.${n.reason}`;
}

export function buildWebhookBody(n: AlertNotification, idempotencyKey: string, publicUrl: string): WebhookBody {
  return {
    id: idempotencyKey,
    type: webhookEventType(n),
    createdAt: n.createdAt,
    alert: n.alert ? { ...n.alert, url: alertUrl(publicUrl, n.alert.id) } : null,
    anomaly: n.anomaly ? { ...n.anomaly, traceUrl: traceUrl(publicUrl, n.anomaly.traceId) } : null,
    relatedSignals: (n.relatedSignals ?? []).map((s) => ({ ...s, traceUrl: traceUrl(publicUrl, s.traceId) })),
    relatedSignalsOmitted: n.relatedSignalsOmitted ?? 0,
  };
}
