// Raw-SQL adapter of the alert state machine, for callers that run their transaction on the raw
// driver (the scorer). Same decisions as record-anomalies.ts (Prisma); only the I/O differs.
import { randomBytes } from "node:crypto";
import { getEnv } from "../env";
import { buildAlertNotification, type AlertSnapshot } from "../notify/notification";
import { decideAlertChanges } from "./decide-alert-changes";
import { activeKeyFor } from "./fingerprint";
import { idempotencyKeyFor } from "./notification-policy";
import { alertPolicyFromEnv, type AlertPolicy } from "./policy";
import { decideResolution } from "./state-machine";
import type { AlertState, AnomalyForAlert, ChannelForAlert, NotifyReason } from "./types";

/** The subset of lib/detect/store-sql.ts `Sql` this adapter needs (SQLite text, PostgreSQL text). */
export interface AlertSql {
  provider: "sqlite" | "postgresql";
  all<T>(sqlite: string, postgres: string, params?: readonly unknown[]): Promise<T[]>;
  run(sqlite: string, postgres: string, params?: readonly unknown[]): Promise<number>;
}

const LINK_CHUNK = 500;
const MAX_OPTIMISTIC_RETRIES = 5;

export function newId(): string {
  return `c${Date.now().toString(36)}${randomBytes(8).toString("hex")}`;
}

/** DateTime in Prisma's storage format: ISO with "+00:00" on SQLite, UTC timestamp(3) text on PostgreSQL. */
function t(sql: AlertSql, d: Date | null): string | null {
  if (!d) return null;
  const iso = d.toISOString();
  return sql.provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1);
}

function parseTime(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s.replace(" ", "T")}Z`);
}

/** "?, ?, ?" for SQLite and "$k, $k+1, …" for PostgreSQL, starting after `offset` parameters. */
function marks(sql: AlertSql, n: number, offset = 0): string {
  return Array.from({ length: n }, (_, i) => (sql.provider === "sqlite" ? "?" : `$${offset + i + 1}`)).join(", ");
}

/**
 * Runs one statement written with {{n}} placeholders (1-based, reusable): $n on PostgreSQL; on SQLite
 * (better-sqlite3 binds only plain "?") each placeholder becomes "?" with its value repeated in order.
 */
function exec(sql: AlertSql, template: string, params: readonly unknown[]): Promise<number> {
  const order: unknown[] = [];
  const sqlite = template.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => {
    order.push(params[Number(n) - 1]);
    return "?";
  });
  const postgres = template.replace(/\{\{(\d+)\}\}/g, "$$$1");
  return sql.run(sqlite, postgres, sql.provider === "sqlite" ? order : params);
}

export async function recordAnomaliesSql(sql: AlertSql, anomalies: readonly AnomalyForAlert[], now: Date, policy?: AlertPolicy): Promise<void> {
  if (anomalies.length === 0) return;
  const effective = policy ?? alertPolicyFromEnv(getEnv());
  const groups = new Map<string, AnomalyForAlert[]>();
  for (const a of anomalies) {
    const key = activeKeyFor(a.projectId, a.fingerprint);
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  const projectIds = [...new Set(anomalies.map((a) => a.projectId))];
  const rows = await sql.all<{ id: string; type: string; minSeverity: string; enabled: unknown; projectId: string }>(
    `SELECT id, type, "minSeverity", enabled, "projectId" FROM notification_channels WHERE enabled = 1 AND "projectId" IN (${marks(sql, projectIds.length)})`,
    `SELECT id, type, "minSeverity", enabled, "projectId" FROM notification_channels WHERE enabled = true AND "projectId" IN (${marks(sql, projectIds.length)})`,
    projectIds,
  );
  const channels = rows.map((r) => ({ ...r, enabled: Boolean(r.enabled) }));
  for (const [activeKey, group] of groups) {
    await recordGroup(sql, activeKey, group, channels.filter((c) => c.projectId === group[0]!.projectId), effective, now);
  }
}

interface AlertRow extends AlertSnapshot {
  lastNotifiedAt: Date | null;
  lastNotifiedSeverity: string | null;
}

async function readActive(sql: AlertSql, activeKey: string): Promise<AlertRow | null> {
  const cols = `id, "projectId", fingerprint, detector, entity, title, explanation, severity, status, count, "lastNotifiedSeverity"`;
  const [row] = await sql.all<Record<string, unknown>>(
    `SELECT ${cols}, "firstSeenAt", "lastSeenAt", "resolvedAt", "lastNotifiedAt" FROM alerts WHERE "activeKey" = ?`,
    `SELECT ${cols}, "firstSeenAt"::text AS "firstSeenAt", "lastSeenAt"::text AS "lastSeenAt", "resolvedAt"::text AS "resolvedAt", "lastNotifiedAt"::text AS "lastNotifiedAt" FROM alerts WHERE "activeKey" = $1`,
    [activeKey],
  );
  if (!row) return null;
  return {
    ...(row as unknown as AlertRow),
    count: Number(row.count),
    firstSeenAt: parseTime(row.firstSeenAt)!,
    lastSeenAt: parseTime(row.lastSeenAt)!,
    resolvedAt: parseTime(row.resolvedAt),
    lastNotifiedAt: parseTime(row.lastNotifiedAt),
  };
}

async function recordGroup(sql: AlertSql, activeKey: string, group: AnomalyForAlert[], channels: ChannelForAlert[], policy: AlertPolicy, now: Date): Promise<void> {
  const first = group[0]!;
  for (let attempt = 0; ; attempt++) {
    const existing = await readActive(sql, activeKey);
    const changes = decideAlertChanges(existing as AlertState | null, group, channels, policy, now);
    if (changes.resolveExisting && existing) {
      const closed = await resolveAlertSql(sql, existing, channels, changes.resolveExisting.resolvedAt, now);
      if (!closed) {
        if (attempt >= MAX_OPTIMISTIC_RETRIES) throw new Error(`alert ${existing.id} kept changing under recordAnomaliesSql`);
        continue;
      }
    }
    const f = changes.write.fields;
    let alert: AlertSnapshot;
    if (changes.write.kind === "create") {
      alert = {
        id: newId(), projectId: first.projectId, fingerprint: first.fingerprint, detector: first.detector, entity: first.entity,
        title: f.title, explanation: f.explanation ?? "", severity: f.severity, status: f.status, count: f.count,
        firstSeenAt: f.firstSeenAt, lastSeenAt: f.lastSeenAt, resolvedAt: null,
      };
      await exec(sql, `INSERT INTO alerts (id, "projectId", fingerprint, "activeKey", detector, entity, title, explanation, severity, status, count,
        "firstSeenAt", "lastSeenAt", "lastTraceId", "lastNotifiedAt", "lastNotifiedSeverity", "createdAt", "updatedAt")
        VALUES ({{1}}, {{2}}, {{3}}, {{4}}, {{5}}, {{6}}, {{7}}, {{8}}, {{9}}, {{10}}, {{11}}, {{12}}, {{13}}, {{14}}, {{15}}, {{16}}, {{17}}, {{17}})`, [
        alert.id, alert.projectId, alert.fingerprint, activeKey, alert.detector, alert.entity, alert.title, alert.explanation, alert.severity, alert.status,
        alert.count, t(sql, f.firstSeenAt), t(sql, f.lastSeenAt), f.lastTraceId, t(sql, f.lastNotifiedAt), f.lastNotifiedSeverity, t(sql, now),
      ]);
    } else {
      const updated = await exec(sql, `UPDATE alerts SET severity = {{1}}, status = {{2}}, count = {{3}}, "firstSeenAt" = {{4}}, "lastSeenAt" = {{5}},
        "lastTraceId" = {{6}}, title = {{7}}, explanation = COALESCE({{8}}, explanation), "lastNotifiedAt" = {{9}}, "lastNotifiedSeverity" = {{10}}, "updatedAt" = {{11}}
        WHERE id = {{12}} AND count = {{13}} AND "activeKey" = {{14}}`, [
        f.severity, f.status, f.count, t(sql, f.firstSeenAt), t(sql, f.lastSeenAt), f.lastTraceId, f.title, f.explanation,
        t(sql, f.lastNotifiedAt), f.lastNotifiedSeverity, t(sql, now), changes.write.id, existing!.count, activeKey,
      ]);
      if (updated === 0) {
        if (attempt >= MAX_OPTIMISTIC_RETRIES) throw new Error(`alert ${changes.write.id} kept changing under recordAnomaliesSql`);
        continue;
      }
      alert = { ...existing!, title: f.title, explanation: f.explanation ?? existing!.explanation, severity: f.severity, status: f.status, count: f.count, firstSeenAt: f.firstSeenAt, lastSeenAt: f.lastSeenAt };
    }
    for (let i = 0; i < group.length; i += LINK_CHUNK) {
      const ids = group.slice(i, i + LINK_CHUNK).map((a) => a.id);
      await sql.run(
        `UPDATE anomalies SET "alertId" = ? WHERE id IN (${marks(sql, ids.length)})`,
        `UPDATE anomalies SET "alertId" = $1 WHERE id IN (${marks(sql, ids.length, 1)})`,
        [alert.id, ...ids],
      );
    }
    if (changes.notify) await writeOutboxSql(sql, alert, changes.representative, changes.notify.reason, String(f.count), changes.notify.channelIds, now);
    return;
  }
}

async function resolveAlertSql(sql: AlertSql, alert: AlertRow, channels: readonly ChannelForAlert[], resolvedAt: Date, now: Date): Promise<boolean> {
  const decision = decideResolution(alert, channels, resolvedAt);
  const updated = await exec(sql, `UPDATE alerts SET status = 'resolved', "resolvedAt" = {{1}}, "activeKey" = NULL, "updatedAt" = {{2}}
    WHERE id = {{3}} AND status <> 'resolved' AND count = {{4}}`, [t(sql, decision.resolvedAt), t(sql, now), alert.id, alert.count]);
  if (updated === 0) return false;
  if (decision.notifyChannelIds.length > 0) {
    await writeOutboxSql(sql, { ...alert, status: "resolved", resolvedAt: decision.resolvedAt }, null, "resolved", "1", decision.notifyChannelIds, now);
  }
  return true;
}

async function writeOutboxSql(
  sql: AlertSql, alert: AlertSnapshot, representative: AnomalyForAlert | null, reason: NotifyReason, sequence: string, channelIds: readonly string[], now: Date,
): Promise<void> {
  const payload = JSON.stringify(buildAlertNotification(alert, representative, reason, now));
  for (const channelId of channelIds) {
    await exec(sql, `INSERT INTO alert_deliveries (id, "projectId", "alertId", "channelId", reason, payload, status, attempts, "nextAttemptAt", "idempotencyKey", "createdAt")
      VALUES ({{1}}, {{2}}, {{3}}, {{4}}, {{5}}, ${sql.provider === "sqlite" ? "{{6}}" : "{{6}}::jsonb"}, 'pending', 0, {{7}}, {{8}}, {{7}})`, [
      newId(), alert.projectId, alert.id, channelId, reason, payload, t(sql, now), idempotencyKeyFor(alert.id, reason, sequence, channelId),
    ]);
  }
}
