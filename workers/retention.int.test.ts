// Retention on a real database with the production server ingesting at the same time: expired spans,
// traces, rollups, anomalies and resolved alerts go in small batches; recent data, projects without
// retention and open alerts (with their anomalies) stay; every ingestion request during the pass succeeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { parseEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { DAY_MS } from "@/lib/retention/cutoff";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { hex, jsonRequest, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { selectWorkers } from "./registry";
import { runRetentionPass } from "./retention";

const NOW = Date.now();
const OLD_MS = NOW - 40 * DAY_MS;

function traces(count: number, spansPer: number, startMs: number, tag: string): FixtureSpan[] {
  return Array.from({ length: count }, (_, i) => {
    const traceId = hex(16);
    const start = BigInt(startMs + i * 1000) * 1_000_000n;
    return Array.from({ length: spansPer }, (_, k) => ({ traceId, spanId: hex(8), name: `${tag}-${k}`, startNs: start + BigInt(k), endNs: start + 1_000_000n }));
  }).flat();
}

describe.each(PROVIDERS)("retention on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  async function ingest(project: string, spans: FixtureSpan[]): Promise<number> {
    let ok = 0;
    for (let i = 0; i < spans.length; i += 500) {
      const res = await fetch(`${server.url}/v1/traces`, {
        method: "POST", headers: { authorization: `Bearer ${keys[project]}`, "content-type": "application/json" }, body: JSON.stringify(jsonRequest(spans.slice(i, i + 500))),
      });
      expect(res.status, await res.text()).toBe(200);
      ok += 1;
    }
    return ok;
  }

  const alertData = (projectId: string, status: string, lastSeenAt: Date, fingerprint: string) => ({
    projectId, fingerprint, activeKey: status === "resolved" ? null : `${projectId}:${fingerprint}`, detector: "latency", entity: "svc/agent", title: fingerprint,
    explanation: "x", severity: "high", status, count: 1, firstSeenAt: lastSeenAt, lastSeenAt, resolvedAt: status === "resolved" ? lastSeenAt : null,
  });
  const anomalyData = (projectId: string, createdAt: Date, dedupKey: string, alertId: string | null) => ({
    projectId, traceId: hex(16), detector: "latency", metric: "duration_ms", entity: "svc/agent", score: 0.9, severity: "high", explanation: dedupKey,
    fingerprint: "fp", dedupKey, alertId, createdAt,
  });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    server = await startServer({ databaseUrl: t.databaseUrl });
    for (const [name, retentionDays] of [["kept-30d", 30], ["forever", null]] as const) {
      const project = await t.db.project.create({ data: { name, retentionDays } });
      ids[name] = project.id;
      keys[name] = (await createApiKey(t.db, project.id, "retention", ["ingest"])).key;
    }
    await ingest("kept-30d", traces(250, 10, OLD_MS, "old"));
    await ingest("kept-30d", traces(20, 5, NOW - DAY_MS, "recent"));
    await ingest("forever", traces(10, 5, OLD_MS, "old-forever"));

    const old = new Date(OLD_MS);
    const p = ids["kept-30d"]!;
    const resolvedOld = await t.db.alert.create({ data: alertData(p, "resolved", old, "resolved-old") });
    const openOld = await t.db.alert.create({ data: alertData(p, "open", old, "open-old") });
    const ackOld = await t.db.alert.create({ data: alertData(p, "acknowledged", old, "ack-old") });
    const channel = await t.db.notificationChannel.create({ data: { projectId: p, type: "webhook", name: "c", url: "https://example.test/h", secret: "s".repeat(16) } });
    const delivery = await t.db.alertDelivery.create({ data: { projectId: p, alertId: resolvedOld.id, channelId: channel.id, reason: "opened", payload: {}, status: "delivered", idempotencyKey: "d1" } });
    await t.db.deliveryAttempt.create({ data: { deliveryId: delivery.id, attempt: 1, durationMs: 5, statusCode: 200 } });
    await t.db.anomaly.create({ data: anomalyData(p, old, "old-free", null) });
    await t.db.anomaly.create({ data: anomalyData(p, old, "old-of-resolved", resolvedOld.id) });
    await t.db.anomaly.create({ data: anomalyData(p, old, "old-of-open", openOld.id) });
    await t.db.anomaly.create({ data: anomalyData(p, old, "old-of-ack", ackOld.id) });
    await t.db.anomaly.create({ data: anomalyData(p, new Date(NOW - DAY_MS), "recent-free", null) });
    await t.db.anomaly.create({ data: anomalyData(ids.forever!, old, "old-forever", null) });

    const user = await t.db.user.create({ data: { email: `retention-${provider}@example.test`, passwordHash: "x" } });
    ids.user = user.id;
    for (const [tokenHash, expiresAt] of [["expired", NOW - DAY_MS], ["valid", NOW + DAY_MS]] as const) {
      await t.db.session.create({ data: { tokenHash, userId: user.id, csrfToken: "c", expiresAt: new Date(expiresAt) } });
      await t.db.loginThrottle.create({ data: { key: `pair:1.2.3.4:${tokenHash}@x`, failures: 9, blockedUntilMs: BigInt(expiresAt), expiresAtMs: BigInt(expiresAt) } });
    }
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  it("is a registered worker, started by npm start", () => {
    expect(selectWorkers(undefined).map((w) => w.name)).toContain("retention");
  });

  it("deletes expired data in batches while ingestion keeps answering 200", async () => {
    const p = ids["kept-30d"]!;
    expect(await t.db.span.count({ where: { projectId: p, startNs: { lt: BigInt(NOW - 30 * DAY_MS) * 1_000_000n } } })).toBe(2500);
    // The scorer's rows for these spans (one per span, by seq) must go with them.
    const scored = await t.db.span.findMany({ where: { projectId: p }, select: { seq: true } });
    await t.db.spanScore.createMany({ data: scored.map(({ seq }) => ({ seq, projectId: p, score: 0.1 })) });
    const env = { ...parseEnv({ DATABASE_URL: t.databaseUrl }), ARGUS_RETENTION_BATCH: 400, ARGUS_RETENTION_PAUSE_MS: 20 };
    const controller = new AbortController();
    const pass = runRetentionPass({ db: t.db, env, log, signal: controller.signal }, NOW);
    // Ingest new data for the same project until the pass is over (and at least a few times).
    let during = 0;
    let done = false;
    void pass.finally(() => (done = true));
    while (!done || during < 3) during += await ingest("kept-30d", traces(10, 5, Date.now(), "during"));
    const deleted = await pass;

    expect(deleted.spans).toBe(2500);
    expect(deleted.traces).toBe(250);
    expect(deleted.anomalies).toBe(2);
    expect(deleted.alerts).toBe(1);
    expect(deleted.rollups).toBeGreaterThan(0);
    expect(deleted.sessions).toBe(1);
    expect(deleted.throttles).toBe(1);
    expect(during).toBeGreaterThanOrEqual(3);

    const names = async (projectId: string) => new Set((await t.db.span.findMany({ where: { projectId }, select: { name: true } })).map((s) => s.name.split("-")[0]));
    expect(await names(p)).toEqual(new Set(["recent", "during"]));
    expect(await t.db.span.count({ where: { projectId: p, name: { startsWith: "recent" } } })).toBe(100);
    expect(await t.db.spanScore.count({ where: { projectId: p } })).toBe(100);
    expect(await t.db.span.count({ where: { projectId: p, name: { startsWith: "during" } } })).toBe(during * 50);
    expect(await t.db.trace.count({ where: { projectId: p } })).toBe(20 + during * 10);
    expect(await t.db.spanRollup.count({ where: { projectId: p, minuteMs: { lt: BigInt(NOW - 30 * DAY_MS) } } })).toBe(0);
    expect((await t.db.anomaly.findMany({ where: { projectId: p }, orderBy: { dedupKey: "asc" } })).map((a) => a.dedupKey)).toEqual(["old-of-ack", "old-of-open", "recent-free"]);
    expect((await t.db.alert.findMany({ where: { projectId: p }, orderBy: { fingerprint: "asc" } })).map((a) => a.status)).toEqual(["acknowledged", "open"]);
    expect(await t.db.alertDelivery.count()).toBe(0);
    expect(await t.db.deliveryAttempt.count()).toBe(0);
    expect((await t.db.session.findMany({ where: { userId: ids.user } })).map((x) => x.tokenHash)).toEqual(["valid"]);

    // The project without retention keeps everything.
    expect(await t.db.span.count({ where: { projectId: ids.forever } })).toBe(50);
    expect(await t.db.anomaly.count({ where: { projectId: ids.forever } })).toBe(1);

    // A second pass finds nothing more.
    const again = await runRetentionPass({ db: t.db, env, log, signal: controller.signal }, NOW);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
  }, 180_000);
});
