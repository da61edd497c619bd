// Reads for the alerts API: a filtered, keyset-paginated list and one alert with its evidence
// (headline, signals, anomalies, traces) and its delivery log.
import type { Db } from "../db";
import { AppError } from "../errors";
import { decodeTimeCursor, encodeTimeCursor } from "../queries/cursor";
import { resolveTimeRange, type RangePreset } from "../queries/time-range";
import { causeRank } from "./incidents";
import { noDeliveryReason } from "./no-delivery-reason";

export interface ListAlertsInput {
  status?: string[];
  severity?: string[];
  range?: RangePreset;
  from?: number;
  to?: number;
  cursor?: string;
  limit: number;
}

const ALERT_FIELDS = {
  id: true, projectId: true, fingerprint: true, detector: true, entity: true, title: true, explanation: true, severity: true, status: true,
  count: true, firstSeenAt: true, lastSeenAt: true, lastTraceId: true, headlineAnomalyId: true, acknowledgedAt: true, resolvedAt: true,
  lastNotifiedAt: true, lastNotifiedSeverity: true, createdAt: true, updatedAt: true,
} as const;

export async function listAlerts(db: Db, projectId: string, input: ListAlertsInput, nowMs = Date.now()) {
  const after = input.cursor ? decodeTimeCursor(input.cursor) : null;
  const timed = input.range !== undefined || input.from !== undefined || input.to !== undefined;
  const range = timed ? resolveTimeRange(input, nowMs) : null;
  const rows = await db.alert.findMany({
    where: {
      projectId,
      ...(input.status?.length ? { status: { in: input.status } } : {}),
      ...(input.severity?.length ? { severity: { in: input.severity } } : {}),
      // Behaviour time: an alert belongs to a range when one of its signals happened in it.
      ...(range ? { anomalies: { some: { occurredAt: { gte: new Date(range.fromMs), lt: new Date(range.toMs) } } } } : {}),
      ...(after ? { OR: [{ lastSeenAt: { lt: after.at } }, { lastSeenAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: ALERT_FIELDS,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { alerts: page, nextCursor: rows.length > input.limit && last ? encodeTimeCursor(last.lastSeenAt, last.id) : null };
}

const ANOMALY_LIMIT = 100;
const SIGNAL_LIMIT = 50;

export async function getAlertDetail(db: Db, projectId: string, id: string) {
  const alert = await db.alert.findFirst({ where: { id, projectId }, select: ALERT_FIELDS });
  if (!alert) throw new AppError("not_found", `No alert with id ${id} in this project`);
  const [anomalies, traces, deliveries, signalRows, headline, channels] = await Promise.all([
    db.anomaly.findMany({
      where: { alertId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ANOMALY_LIMIT,
      select: {
        id: true, traceId: true, spanId: true, detector: true, metric: true, entity: true, observed: true, expected: true,
        expectedLow: true, expectedHigh: true, score: true, severity: true, explanation: true, feedback: true, occurredAt: true, createdAt: true,
      },
    }),
    db.anomaly.groupBy({ by: ["traceId"], where: { alertId: id }, _count: { _all: true }, _max: { createdAt: true }, orderBy: { _max: { createdAt: "desc" } }, take: ANOMALY_LIMIT }),
    db.alertDelivery.findMany({
      where: { alertId: id },
      orderBy: { createdAt: "asc" },
      select: {
        id: true, reason: true, status: true, attempts: true, nextAttemptAt: true, lastStatusCode: true, lastError: true, idempotencyKey: true,
        createdAt: true, deliveredAt: true,
        channel: { select: { id: true, name: true, type: true } },
        attemptsLog: { orderBy: { startedAt: "asc" }, select: { attempt: true, startedAt: true, durationMs: true, statusCode: true, error: true } },
      },
    }),
    db.anomaly.groupBy({
      by: ["detector", "metric", "entity"], where: { alertId: id },
      _count: { _all: true }, _max: { score: true }, _min: { occurredAt: true }, orderBy: { _max: { score: "desc" } }, take: SIGNAL_LIMIT,
    }),
    alert.headlineAnomalyId
      ? db.anomaly.findFirst({
          where: { id: alert.headlineAnomalyId, alertId: id },
          select: { id: true, traceId: true, spanId: true, detector: true, metric: true, entity: true, score: true, severity: true, explanation: true, occurredAt: true, createdAt: true },
        })
      : null,
    db.notificationChannel.findMany({ where: { projectId }, select: { name: true, enabled: true, minSeverity: true, createdAt: true } }),
  ]);
  const signals = signalRows
    .map((g) => ({
      detector: g.detector, metric: g.metric, entity: g.entity, count: g._count._all, maxScore: g._max.score ?? 0, firstOccurredAt: g._min.occurredAt,
      headline: headline !== null && g.detector === headline.detector && g.metric === headline.metric && g.entity === headline.entity,
    }))
    .sort((x, y) => Number(y.headline) - Number(x.headline) || causeRank(x) - causeRank(y) || y.maxScore - x.maxScore);
  return {
    alert,
    /** The anomaly the title and explanation describe (null for alerts recorded before headlines). */
    headline,
    /** Every kind of signal in the alert (detector, metric, entity), the headline's first, then causes, then the strongest. */
    signals,
    anomalies,
    traces: traces.map((t) => ({ traceId: t.traceId, anomalies: t._count._all, lastSeenAt: t._max.createdAt })),
    deliveries,
    /** Why nothing was delivered (null when something was). */
    noDeliveryReason: deliveries.length > 0 ? null : noDeliveryReason(alert, channels),
  };
}
