// The channel-neutral snapshot of an alert change stored in the outbox (AlertDelivery.payload).
// Renderers turn it into a Slack message or a webhook body at send time.
import { relatedSignals, type Signal } from "../alerts/signals";
import type { AnomalyForAlert, NotifyReason } from "../alerts/types";

export interface AlertNotification {
  version: 1;
  reason: NotifyReason;
  /** The alert as JSON: its times are ISO 8601 strings. */
  alert: Jsonified<AlertSnapshot> | null;
  anomaly: {
    id: string;
    traceId: string;
    spanId: string | null;
    metric: string | null;
    observed: number | null;
    expected: number | null;
    score: number;
    agent: string | null;
    step: string | null;
    model: string | null;
    detector: string;
    /** When the behaviour happened (null if not known) and when it was detected. */
    occurredAt: string | null;
    detectedAt: string;
  } | null;
  /**
   * The other signals of the same incident (anomalies recorded with the headline: the rest of its
   * trace's signals, other traces with the same cause), one per kind, causes first. Absent in older payloads.
   */
  relatedSignals?: Signal[];
  /** Related signals left out of the list (it holds at most MAX_LISTED_SIGNALS). */
  relatedSignalsOmitted?: number;
  /** When the change that caused this notification happened. */
  createdAt: string;
}

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export interface AlertSnapshot {
  id: string;
  projectId: string;
  fingerprint: string;
  detector: string;
  entity: string;
  title: string;
  explanation: string;
  severity: string;
  status: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

/** `signals`: the anomalies recorded with this change (the headline among them or not); none for a resolution. */
export function buildAlertNotification(
  alert: AlertSnapshot, anomaly: AnomalyForAlert | null, reason: NotifyReason, now: Date, signals: readonly AnomalyForAlert[] = [],
): AlertNotification {
  const related = anomaly ? relatedSignals(signals, anomaly) : { signals: [], omitted: 0 };
  return {
    version: 1,
    reason,
    alert: {
      id: alert.id,
      projectId: alert.projectId,
      fingerprint: alert.fingerprint,
      detector: alert.detector,
      entity: alert.entity,
      title: alert.title,
      explanation: alert.explanation,
      severity: alert.severity,
      status: alert.status,
      count: alert.count,
      firstSeenAt: alert.firstSeenAt.toISOString(),
      lastSeenAt: alert.lastSeenAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    },
    anomaly: anomaly
      ? {
          id: anomaly.id,
          traceId: anomaly.traceId,
          spanId: anomaly.spanId ?? null,
          metric: anomaly.metric ?? null,
          observed: anomaly.observed ?? null,
          expected: anomaly.expected ?? null,
          score: anomaly.score,
          agent: anomaly.agent ?? null,
          step: anomaly.step ?? null,
          model: anomaly.model ?? null,
          detector: anomaly.detector,
          occurredAt: anomaly.occurredAt?.toISOString() ?? null,
          detectedAt: anomaly.createdAt.toISOString(),
        }
      : null,
    relatedSignals: related.signals,
    relatedSignalsOmitted: related.omitted,
    createdAt: now.toISOString(),
  };
}

export function testNotification(now: Date): AlertNotification {
  return { version: 1, reason: "test", alert: null, anomaly: null, createdAt: now.toISOString() };
}
