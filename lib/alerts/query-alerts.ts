// Reads for the alerts API: a filtered, keyset-paginated list and one alert with its evidence
// (anomalies, traces) and its delivery log.
import type { Db } from "../db";
import { AppError } from "../errors";
import { decodeTimeCursor, encodeTimeCursor } from "../queries/cursor";

export interface ListAlertsInput {
  status?: string[];
  severity?: string[];
  cursor?: string;
  limit: number;
}

const ALERT_FIELDS = {
  id: true, projectId: true, fingerprint: true, detector: true, entity: true, title: true, explanation: true, severity: true, status: true,
  count: true, firstSeenAt: true, lastSeenAt: true, lastTraceId: true, acknowledgedAt: true, resolvedAt: true, lastNotifiedAt: true,
  lastNotifiedSeverity: true, createdAt: true, updatedAt: true,
} as const;

export async function listAlerts(db: Db, projectId: string, input: ListAlertsInput) {
  const after = input.cursor ? decodeTimeCursor(input.cursor) : null;
  const rows = await db.alert.findMany({
    where: {
      projectId,
      ...(input.status?.length ? { status: { in: input.status } } : {}),
      ...(input.severity?.length ? { severity: { in: input.severity } } : {}),
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

export async function getAlertDetail(db: Db, projectId: string, id: string) {
  const alert = await db.alert.findFirst({ where: { id, projectId }, select: ALERT_FIELDS });
  if (!alert) throw new AppError("not_found", `No alert with id ${id} in this project`);
  const [anomalies, traces, deliveries] = await Promise.all([
    db.anomaly.findMany({
      where: { alertId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ANOMALY_LIMIT,
      select: {
        id: true, traceId: true, spanId: true, detector: true, metric: true, entity: true, observed: true, expected: true,
        expectedLow: true, expectedHigh: true, score: true, severity: true, explanation: true, feedback: true, createdAt: true,
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
  ]);
  return {
    alert,
    anomalies,
    traces: traces.map((t) => ({ traceId: t.traceId, anomalies: t._count._all, lastSeenAt: t._max.createdAt })),
    deliveries,
  };
}
