import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { migrateDatabase } from "./setup";

describe.each(PROVIDERS)("schema on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("re-running migrations is a no-op", async () => {
    expect(await migrateDatabase(t.target)).toEqual([]);
  });

  it("round-trips every model through Prisma Client", async () => {
    const { db } = t;
    const project = await db.project.create({ data: { name: "p1", settings: { sensitivity: 3 } } });
    const key = await db.apiKey.create({ data: { projectId: project.id, prefix: "argus_abc", hash: "h1" } });
    const trace = await db.trace.create({
      data: { projectId: project.id, traceId: "a".repeat(32), startNs: 1_700_000_000_123_456_789n, endNs: 1_700_000_001_000_000_000n, spanCount: 1 },
    });
    const span = await db.span.create({
      data: {
        projectId: project.id, traceId: trace.traceId, spanId: "b".repeat(16), name: "chat gpt-4o", kind: "llm", service: "svc",
        step: "chat gpt-4o", startNs: 1_700_000_000_123_456_789n, endNs: 1_700_000_000_987_654_321n, durationMs: 864.2,
        attributes: { "gen_ai.request.model": "gpt-4o", flag: false, n: 0 }, receivedMs: 1n, inputTokens: 10, costUsd: 0.001,
      },
    });
    await db.spanRollup.create({ data: { projectId: project.id, minuteMs: 60_000n, service: "svc", kind: "llm", spanCount: 1 } });
    const anomaly = await db.anomaly.create({
      data: {
        projectId: project.id, traceId: trace.traceId, spanId: span.spanId, detector: "latency", metric: "duration_ms", entity: "svc/a/s/m",
        observed: 8400, expected: 1100, score: 0.97, severity: "high", explanation: "latency 8.4 s vs usual 1.1 s", fingerprint: "fp", dedupKey: "d1",
      },
    });
    const now = new Date();
    const alert = await db.alert.create({
      data: { projectId: project.id, fingerprint: "fp", activeKey: "fp", detector: "latency", entity: "e", title: "t", explanation: "x", severity: "high", firstSeenAt: now, lastSeenAt: now, count: 1 },
    });
    await db.anomaly.update({ where: { id: anomaly.id }, data: { alertId: alert.id } });
    const channel = await db.notificationChannel.create({ data: { projectId: project.id, type: "webhook", name: "hook", url: "http://127.0.0.1:1/x", secret: "s" } });
    const delivery = await db.alertDelivery.create({
      data: { projectId: project.id, alertId: alert.id, channelId: channel.id, reason: "opened", payload: { a: 1 }, idempotencyKey: "k1" },
    });
    await db.deliveryAttempt.create({ data: { deliveryId: delivery.id, attempt: 1, durationMs: 12.5, statusCode: 200 } });
    await db.detectorState.create({ data: { key: "baseline:x", projectId: project.id, detector: "latency", entity: "e", state: { n: 3, mean: 1.5 } } });
    await db.workerCursor.create({ data: { name: "scorer:0", position: 42n } });
    await db.workerHeartbeat.create({ data: { id: "scorer@host:1", name: "scorer", host: "host", pid: 1, startedAt: now, beatAt: now, stats: { lag: 0 } } });
    const user = await db.user.create({ data: { email: "a@example.com", passwordHash: "scrypt$x" } });
    await db.membership.create({ data: { userId: user.id, projectId: project.id } });
    await db.session.create({ data: { tokenHash: "t", userId: user.id, csrfToken: "c", expiresAt: now } });
    await db.loginThrottle.create({ data: { key: "pair:1.2.3.4:a@example.com", failures: 1, blockedUntilMs: 1n, expiresAtMs: 2n } });

    const loaded = await db.span.findUniqueOrThrow({ where: { projectId_traceId_spanId: { projectId: project.id, traceId: trace.traceId, spanId: span.spanId } } });
    expect(loaded.startNs).toBe(1_700_000_000_123_456_789n);
    expect(loaded.attributes).toEqual({ "gen_ai.request.model": "gpt-4o", flag: false, n: 0 });
    expect(loaded.seq).toBeTypeOf("bigint");
    const withAlert = await db.alert.findUniqueOrThrow({ where: { id: alert.id }, include: { anomalies: true, deliveries: { include: { attemptsLog: true } } } });
    expect(withAlert.anomalies.map((a) => a.id)).toEqual([anomaly.id]);
    expect(withAlert.deliveries[0]?.attemptsLog[0]?.statusCode).toBe(200);
    expect((await db.detectorState.findUniqueOrThrow({ where: { key: "baseline:x" } })).state).toEqual({ n: 3, mean: 1.5 });
    expect((await db.workerCursor.findUniqueOrThrow({ where: { name: "scorer:0" } })).position).toBe(42n);
    expect(await db.membership.count({ where: { projectId: project.id } })).toBe(1);
    expect(key.prefix).toBe("argus_abc");

    await db.project.delete({ where: { id: project.id } });
    expect(await db.apiKey.count()).toBe(0);
  });
});
