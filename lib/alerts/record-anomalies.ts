// Prisma adapter of the alert state machine: groups anomalies into incidents (incidents.ts), upserts
// each incident's alert, links the anomalies and writes outbox rows, all inside the caller's transaction.
import type { Db } from "../db";
import { chunks, parseJsonColumn } from "../db/sql-values";
import { getEnv } from "../env";
import { buildAlertNotification, type AlertSnapshot } from "../notify/notification";
import { decideAlertChanges, isQuietSince, type AlertFields } from "./decide-alert-changes";
import { activeKeyFor } from "./active-key";
import { groupIncidents, RATE_DETECTORS, traceKeyOf, type Incident, type IncidentTarget } from "./incidents";
import { idempotencyKeyFor } from "./notification-policy";
import { alertPolicyFromEnv, type AlertPolicy } from "./policy";
import { decideResolution } from "./state-machine";
import type { AlertState, AnomalyForAlert, ChannelForAlert, NotifyReason } from "./types";

export type AlertTx = Pick<Db, "alert" | "anomaly" | "alertDelivery" | "notificationChannel" | "span">;

const ALERT_STATE_SELECT = {
  id: true, status: true, severity: true, count: true, firstSeenAt: true, lastSeenAt: true, lastNotifiedAt: true, lastNotifiedSeverity: true,
  headlineAnomalyId: true, activeKey: true,
} as const;
const HEADLINE_SELECT = {
  id: true, projectId: true, detector: true, metric: true, entity: true, severity: true, score: true, explanation: true, fingerprint: true,
  traceId: true, spanId: true, observed: true, expected: true, occurredAt: true, createdAt: true,
} as const;
const LINK_CHUNK = 500;
/** Trace ids per lookup: within Prisma's bound-parameter limit on SQLite (999) with room for the other filters. */
const TRACE_CHUNK = 900;
/** Concurrent writers on the same alert (PostgreSQL, read committed) re-read and decide again. */
const MAX_OPTIMISTIC_RETRIES = 5;
/**
 * A trace's later signals join the open alert holding its earlier ones when those were detected at most
 * this long ago. A run's signals come within the scorer's quiet period and max wait of each other (a
 * loop while it runs, the rest when it ends: seconds to a minute by default); the margin covers long
 * runs, while a trace re-scored much later (late spans) is judged as a new incident.
 */
export const INCIDENT_JOIN_MS = 15 * 60_000;

/**
 * Records detected anomalies as alerts. Call it inside the transaction that inserts the anomalies,
 * so the alert change and its outbox rows commit (or roll back) with them. A handful of queries per
 * incident, none per anomaly. Two writers creating the first alert of the same fingerprint at the
 * same instant: one gets a unique violation on activeKey and must retry its transaction.
 */
export async function recordAnomalies(tx: AlertTx, anomalies: readonly AnomalyForAlert[], now: Date, policy?: AlertPolicy): Promise<void> {
  if (anomalies.length === 0) return;
  const effectivePolicy = policy ?? alertPolicyFromEnv(getEnv());
  const incidents = groupIncidents(anomalies, await openAlertsOfTraces(tx, anomalies, now));
  const projectIds = [...new Set(anomalies.map((a) => a.projectId))];
  const channelRows = await tx.notificationChannel.findMany({
    where: { projectId: { in: projectIds }, enabled: true },
    select: { id: true, type: true, minSeverity: true, enabled: true, projectId: true },
  });
  for (const incident of incidents) {
    const channels = channelRows.filter((c) => c.projectId === incident.headline.projectId);
    await recordIncident(tx, incident, channels, effectivePolicy, now);
  }
}

/** The active alert holding each trace's signals detected within INCIDENT_JOIN_MS (the latest, by trace key). */
async function openAlertsOfTraces(tx: AlertTx, anomalies: readonly AnomalyForAlert[], now: Date): Promise<Map<string, string>> {
  const traced = anomalies.filter((a) => !RATE_DETECTORS.has(a.detector));
  const byTrace = new Map<string, string>();
  if (traced.length === 0) return byTrace;
  const since = new Date(now.getTime() - INCIDENT_JOIN_MS);
  const projectIds = [...new Set(traced.map((a) => a.projectId))];
  for (const ids of chunks([...new Set(traced.map((a) => a.traceId))], TRACE_CHUNK)) {
    const rows = await tx.anomaly.findMany({
      where: { projectId: { in: projectIds }, traceId: { in: ids }, detector: { notIn: [...RATE_DETECTORS] }, createdAt: { gte: since }, alert: { is: { activeKey: { not: null } } } },
      select: { projectId: true, traceId: true, alertId: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    for (const r of rows) {
      const key = traceKeyOf(r);
      if (r.alertId && !byTrace.has(key)) byTrace.set(key, r.alertId);
    }
  }
  // A re-scored anomaly whose score rose was unlinked to be recorded again (store-commit.ts): when it was
  // its trace's only signal, the trace is still known as the last one its alert saw. (Active alerts are
  // few, one per fingerprint: read them all rather than by trace.)
  const latest = await tx.alert.findMany({
    where: { projectId: { in: projectIds }, activeKey: { not: null }, lastSeenAt: { gte: since }, lastTraceId: { not: null } },
    select: { id: true, projectId: true, lastTraceId: true },
  });
  for (const a of latest) {
    const key = traceKeyOf({ projectId: a.projectId, traceId: a.lastTraceId! });
    if (!byTrace.has(key)) byTrace.set(key, a.id);
  }
  return byTrace;
}

async function recordIncident(tx: AlertTx, incident: Incident, channels: ChannelForAlert[], policy: AlertPolicy, now: Date): Promise<void> {
  const { headline: lead, anomalies: group } = incident;
  const firstAt = new Date(Math.min(...group.map((a) => a.createdAt.getTime())));
  let target: IncidentTarget = incident.target;
  for (let attempt = 0; ; attempt++) {
    const existing = target.kind === "alert"
      ? await tx.alert.findUnique({ where: { id: target.alertId }, select: ALERT_STATE_SELECT })
      : await tx.alert.findUnique({ where: { activeKey: target.activeKey }, select: ALERT_STATE_SELECT });
    if (target.kind === "alert" && (!existing || existing.activeKey === null || isQuietSince(existing, policy, firstAt))) {
      // The trace's alert closed (or went quiet) meanwhile: this group stands on its own headline.
      target = { kind: "fingerprint", activeKey: activeKeyFor(lead.projectId, lead.fingerprint) };
      continue;
    }
    const current = existing?.headlineAnomalyId ? await readHeadline(tx, existing.headlineAnomalyId) : null;
    const changes = decideAlertChanges(existing, group, channels, policy, now, { currentHeadline: current, continuesIncident: target.kind === "alert" });

    if (changes.resolveExisting && existing && !(await resolveAlert(tx, existing, channels, changes.resolveExisting.resolvedAt, now))) {
      if (attempt >= MAX_OPTIMISTIC_RETRIES) throw new Error(`alert ${existing.id} kept changing under recordAnomalies`);
      continue;
    }

    let alertId: string;
    if (changes.write.kind === "create") {
      const created = await tx.alert.create({
        data: {
          projectId: lead.projectId, fingerprint: lead.fingerprint, activeKey: activeKeyFor(lead.projectId, lead.fingerprint), detector: lead.detector,
          entity: lead.entity, ...createData(changes.write.fields),
        },
        select: { id: true },
      });
      alertId = created.id;
    } else {
      // count doubles as a version: a concurrent writer changed it → decide again on fresh data.
      const updated = await tx.alert.updateMany({
        where: { id: changes.write.id, count: existing!.count, activeKey: existing!.activeKey },
        data: updateData(changes.write.fields),
      });
      if (updated.count === 0) {
        if (attempt >= MAX_OPTIMISTIC_RETRIES) throw new Error(`alert ${changes.write.id} kept changing under recordAnomalies`);
        continue;
      }
      alertId = changes.write.id;
    }

    for (let i = 0; i < group.length; i += LINK_CHUNK) {
      await tx.anomaly.updateMany({ where: { id: { in: group.slice(i, i + LINK_CHUNK).map((a) => a.id) } }, data: { alertId } });
    }

    if (changes.notify) {
      const alert = await tx.alert.findUniqueOrThrow({ where: { id: alertId } });
      const headline = await withSpanContext(tx, changes.headline);
      await writeOutbox(tx, alert, headline, changes.notify.reason, String(alert.count), changes.notify.channelIds, now, group);
    }
    return;
  }
}

async function readHeadline(tx: AlertTx, id: string): Promise<AnomalyForAlert | null> {
  return tx.anomaly.findUnique({ where: { id }, select: HEADLINE_SELECT });
}

/**
 * Fills agent, step and model from the span the anomaly is about. A run's anomaly (no span) takes the
 * agent from the run's agent span and the step at fault from its details (a repeated call, a new tool),
 * and has no model.
 */
async function withSpanContext(tx: AlertTx, a: AnomalyForAlert): Promise<AnomalyForAlert> {
  if (a.agent !== undefined && a.step !== undefined && a.model !== undefined) return a;
  let spanId = a.spanId ?? null;
  let stepAtFault: string | null = null;
  if (!spanId) {
    const row = await tx.anomaly.findUnique({ where: { id: a.id }, select: { details: true } });
    const details = parseJsonColumn<{ anchorSpanId?: unknown; step?: unknown }>(row?.details);
    spanId = typeof details?.anchorSpanId === "string" ? details.anchorSpanId : null;
    stepAtFault = typeof details?.step === "string" ? details.step : null;
  }
  const span = spanId
    ? await tx.span.findUnique({ where: { projectId_traceId_spanId: { projectId: a.projectId, traceId: a.traceId, spanId } }, select: { agent: true, step: true, model: true } })
    : null;
  const context = a.spanId ? span : { agent: span?.agent ?? null, step: stepAtFault, model: null };
  return { ...a, agent: a.agent ?? context?.agent ?? null, step: a.step ?? context?.step ?? null, model: a.model ?? context?.model ?? null };
}

function createData(f: AlertFields) {
  const { headline, ...rest } = f;
  if (!headline) throw new Error("a new alert needs a headline");
  return { ...rest, title: headline.title, explanation: headline.explanation, headlineAnomalyId: headline.anomalyId };
}

function updateData(f: AlertFields) {
  const { headline, ...rest } = f;
  return headline ? { ...rest, title: headline.title, explanation: headline.explanation, headlineAnomalyId: headline.anomalyId } : rest;
}

/** Closes an alert (auto-resolve, manual resolve, or a recurrence after a quiet period) and notifies. */
export async function resolveAlert(
  tx: AlertTx, alert: AlertState, channels: readonly ChannelForAlert[], resolvedAt: Date, now: Date,
): Promise<boolean> {
  const decision = decideResolution(alert, channels, resolvedAt);
  const updated = await tx.alert.updateMany({
    // lastSeenAt guards against an anomaly recorded since the caller read the alert.
    where: { id: alert.id, status: { not: "resolved" }, lastSeenAt: alert.lastSeenAt },
    data: { status: "resolved", resolvedAt: decision.resolvedAt, activeKey: null },
  });
  if (updated.count === 0) return false;
  if (decision.notifyChannelIds.length > 0) {
    const row = await tx.alert.findUniqueOrThrow({ where: { id: alert.id } });
    await writeOutbox(tx, row, null, "resolved", "1", decision.notifyChannelIds, now);
  }
  return true;
}

export async function writeOutbox(
  tx: AlertTx, alert: AlertSnapshot, headline: AnomalyForAlert | null, reason: NotifyReason, sequence: string,
  channelIds: readonly string[], now: Date, signals: readonly AnomalyForAlert[] = [],
): Promise<void> {
  const payload = buildAlertNotification(alert, headline, reason, now, signals);
  await tx.alertDelivery.createMany({
    data: channelIds.map((channelId) => ({
      projectId: alert.projectId,
      alertId: alert.id,
      channelId,
      reason,
      payload: payload as object,
      status: "pending",
      nextAttemptAt: now,
      idempotencyKey: idempotencyKeyFor(alert.id, reason, sequence, channelId),
    })),
  });
}

