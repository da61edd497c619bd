// Prisma adapter of the alert state machine: groups anomalies by fingerprint, upserts the active
// alert, links the anomalies and writes outbox rows, all inside the caller's transaction.
import type { Db } from "../db";
import { getEnv } from "../env";
import { buildAlertNotification, type AlertSnapshot } from "../notify/notification";
import { decideAlertChanges, type AlertFields } from "./decide-alert-changes";
import { activeKeyFor } from "./active-key";
import { idempotencyKeyFor } from "./notification-policy";
import { alertPolicyFromEnv, type AlertPolicy } from "./policy";
import { decideResolution } from "./state-machine";
import type { AlertState, AnomalyForAlert, ChannelForAlert, NotifyReason } from "./types";

export type AlertTx = Pick<Db, "alert" | "anomaly" | "alertDelivery" | "notificationChannel">;

const ALERT_STATE_SELECT = {
  id: true, status: true, severity: true, count: true, firstSeenAt: true, lastSeenAt: true, lastNotifiedAt: true, lastNotifiedSeverity: true,
} as const;
const LINK_CHUNK = 500;
/** Concurrent writers on the same alert (PostgreSQL, read committed) re-read and decide again. */
const MAX_OPTIMISTIC_RETRIES = 5;

/**
 * Records detected anomalies as alerts. Call it inside the transaction that inserts the anomalies,
 * so the alert change and its outbox rows commit (or roll back) with them. A handful of queries per
 * fingerprint, none per anomaly. Two writers creating the first alert of the same fingerprint at the
 * same instant: one gets a unique violation on activeKey and must retry its transaction.
 */
export async function recordAnomalies(tx: AlertTx, anomalies: readonly AnomalyForAlert[], now: Date, policy?: AlertPolicy): Promise<void> {
  if (anomalies.length === 0) return;
  const effectivePolicy = policy ?? alertPolicyFromEnv(getEnv());
  const groups = new Map<string, AnomalyForAlert[]>();
  for (const a of anomalies) {
    const key = activeKeyFor(a.projectId, a.fingerprint);
    const group = groups.get(key);
    if (group) group.push(a);
    else groups.set(key, [a]);
  }
  const projectIds = [...new Set(anomalies.map((a) => a.projectId))];
  const channelRows = await tx.notificationChannel.findMany({
    where: { projectId: { in: projectIds }, enabled: true },
    select: { id: true, type: true, minSeverity: true, enabled: true, projectId: true },
  });
  for (const [activeKey, group] of groups) {
    const channels = channelRows.filter((c) => c.projectId === group[0]!.projectId);
    await recordGroup(tx, activeKey, group, channels, effectivePolicy, now);
  }
}

async function recordGroup(
  tx: AlertTx, activeKey: string, group: AnomalyForAlert[], channels: ChannelForAlert[], policy: AlertPolicy, now: Date,
): Promise<void> {
  const first = group[0]!;
  for (let attempt = 0; ; attempt++) {
    const existing: AlertState | null = await tx.alert.findUnique({ where: { activeKey }, select: ALERT_STATE_SELECT });
    const changes = decideAlertChanges(existing, group, channels, policy, now);

    if (changes.resolveExisting && existing && !(await resolveAlert(tx, existing, channels, changes.resolveExisting.resolvedAt, now))) {
      if (attempt >= MAX_OPTIMISTIC_RETRIES) throw new Error(`alert ${existing.id} kept changing under recordAnomalies`);
      continue;
    }

    let alertId: string;
    if (changes.write.kind === "create") {
      const created = await tx.alert.create({
        data: { projectId: first.projectId, fingerprint: first.fingerprint, activeKey, detector: first.detector, entity: first.entity, ...createData(changes.write.fields) },
        select: { id: true },
      });
      alertId = created.id;
    } else {
      // count doubles as a version: a concurrent writer changed it → decide again on fresh data.
      const updated = await tx.alert.updateMany({
        where: { id: changes.write.id, count: existing!.count, activeKey },
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
      await writeOutbox(tx, alert, changes.representative, changes.notify.reason, String(alert.count), changes.notify.channelIds, now);
    }
    return;
  }
}

function createData(f: AlertFields) {
  return { ...f, explanation: f.explanation ?? "" };
}

function updateData(f: AlertFields) {
  const { explanation, ...rest } = f;
  return explanation === null ? rest : { ...rest, explanation };
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
  tx: AlertTx, alert: AlertSnapshot, representative: AnomalyForAlert | null, reason: NotifyReason, sequence: string,
  channelIds: readonly string[], now: Date,
): Promise<void> {
  const payload = buildAlertNotification(alert, representative, reason, now);
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

