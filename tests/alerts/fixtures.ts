// Shared seeds for alert/notifier tests.
import type { Db } from "@/lib/db";
import { parseEnv, type Env } from "@/lib/env";
import { writeOutbox } from "@/lib/alerts/record-anomalies";
import type { log } from "@/lib/log";

export const silentLog: typeof log = { debug() {}, info() {}, warn() {}, error() {} };

export function testEnv(databaseUrl: string, extra: Record<string, string> = {}): Env {
  // Deliveries go to the receivers the tests run on 127.0.0.1.
  return parseEnv({ DATABASE_URL: databaseUrl, ARGUS_PUBLIC_URL: "http://argus.test", ARGUS_OUTBOUND_ALLOW: "127.0.0.1", ...extra });
}

let n = 0;

export async function seedChannel(db: Db, projectId: string, over: { type?: string; url: string; secret?: string | null; minSeverity?: string; name?: string }) {
  return db.notificationChannel.create({
    data: { projectId, type: over.type ?? "webhook", name: over.name ?? `ch-${++n}`, url: over.url, secret: over.secret ?? null, minSeverity: over.minSeverity ?? "info" },
  });
}

/** An alert plus one pending outbox row per channel, as recordAnomalies would write them. */
export async function seedAlertWithDeliveries(db: Db, projectId: string, channelIds: string[], now = new Date()) {
  const i = ++n;
  const alert = await db.alert.create({
    data: {
      projectId, fingerprint: `fp-${i}`, activeKey: `${projectId}:fp-${i}`, detector: "latency", entity: `svc/agent-${i}/step/model`,
      title: `Latency anomaly on svc/agent-${i}`, explanation: "latency 8.4 s vs usual 1.1 s", severity: "high", count: 1,
      firstSeenAt: now, lastSeenAt: now, lastNotifiedAt: now, lastNotifiedSeverity: "high",
    },
  });
  await writeOutbox(db, { ...alert }, {
    id: `an-${i}`, projectId, detector: "latency", entity: alert.entity, severity: "high", score: 0.97, explanation: alert.explanation,
    fingerprint: alert.fingerprint, traceId: `trace-${i}`, createdAt: now, metric: "duration_ms", observed: 8400, expected: 1100,
    agent: `agent-${i}`, step: "step", model: "model",
  }, "opened", "1", channelIds, now);
  const deliveries = await db.alertDelivery.findMany({ where: { alertId: alert.id } });
  return { alert, deliveries };
}
