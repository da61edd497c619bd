// The alerts, channels and deliveries APIs, called through their real route handlers against a real DB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { createApiKey } from "@/lib/auth/api-keys";
import { resetEnvCache } from "@/lib/env";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import * as alertsRoute from "@/app/api/v1/alerts/route";
import * as anomaliesRoute from "@/app/api/v1/anomalies/route";
import { recordAnomalies } from "@/lib/alerts/record-anomalies";
import { fingerprintOf } from "@/lib/detect/types";
import * as alertRoute from "@/app/api/v1/alerts/[id]/route";
import * as ackRoute from "@/app/api/v1/alerts/[id]/ack/route";
import * as resolveRoute from "@/app/api/v1/alerts/[id]/resolve/route";
import * as channelsRoute from "@/app/api/v1/channels/route";
import * as channelRoute from "@/app/api/v1/channels/[id]/route";
import * as testRoute from "@/app/api/v1/channels/[id]/test/route";
import * as retryRoute from "@/app/api/v1/deliveries/[id]/retry/route";
import { verifyWebhook } from "@/lib/notify/webhook-signature";
import { syncEnvChannels } from "@/lib/notify/sync-env-channels";
import { seedAlertWithDeliveries, seedChannel } from "./fixtures";
import { startReceiver, type Receiver } from "./receiver";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe.each(PROVIDERS)("alerts API on %s", (provider) => {
  let t: TestDatabase;
  let key: string;
  let projectId: string;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    process.env.DATABASE_URL = t.databaseUrl;
    process.env.ARGUS_PUBLIC_URL = "http://argus.test";
    process.env.ARGUS_DELIVERY_TIMEOUT_MS = "2000";
    resetEnvCache();
    await closeDb();
    projectId = (await t.db.project.create({ data: { name: "api" } })).id;
    key = (await createApiKey(t.db, projectId, "alerts-api", ["read", "admin"])).key;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await closeDb();
    resetEnvCache();
    await t?.cleanup();
  });

  async function call(handler: Handler, method: string, path: string, opts: { body?: unknown; params?: Record<string, string>; auth?: boolean } = {}) {
    const req = new Request(`http://argus.test${path}`, {
      method,
      headers: { ...(opts.auth === false ? {} : { authorization: `Bearer ${key}` }), "content-type": "application/json" },
      body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
    });
    const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  it("lists alerts with filters and a keyset cursor, newest activity first", async () => {
    const base = Date.parse("2026-02-01T00:00:00Z");
    for (let i = 0; i < 5; i++) {
      await t.db.alert.create({
        data: {
          projectId, fingerprint: `list-${i}`, activeKey: i === 4 ? null : `list-${i}`, detector: "latency", entity: `e${i}`, title: `t${i}`, explanation: "x",
          severity: i % 2 ? "high" : "low", status: i === 4 ? "resolved" : "open", count: 1, firstSeenAt: new Date(base + i), lastSeenAt: new Date(base + i * 1000),
        },
      });
    }
    const page1 = await call(alertsRoute.GET as Handler, "GET", "/api/v1/alerts?status=open,resolved&limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.alerts.map((a: { entity: string }) => a.entity)).toEqual(["e4", "e3"]);
    const page2 = await call(alertsRoute.GET as Handler, "GET", `/api/v1/alerts?status=open,resolved&limit=2&cursor=${page1.body.nextCursor}`);
    const page3 = await call(alertsRoute.GET as Handler, "GET", `/api/v1/alerts?status=open,resolved&limit=2&cursor=${page2.body.nextCursor}`);
    expect([...page2.body.alerts, ...page3.body.alerts].map((a: { entity: string }) => a.entity)).toEqual(["e2", "e1", "e0"]);
    expect(page3.body.nextCursor).toBeNull();

    const high = await call(alertsRoute.GET as Handler, "GET", "/api/v1/alerts?severity=high&status=open");
    expect(high.body.alerts.map((a: { entity: string }) => a.entity)).toEqual(["e3", "e1"]);
  });

  const badQueries = [
    { name: "unknown status", q: "status=closed", msg: /status must be a comma-separated list/ },
    { name: "unknown severity", q: "severity=urgent", msg: /severity must be/ },
    { name: "garbage cursor", q: "cursor=zzz", msg: /Invalid cursor/ },
    { name: "limit too big", q: "limit=5000", msg: /limit/ },
  ];
  it.each(badQueries)("answers 400 with a fix for $name", async ({ q, msg }) => {
    const res = await call(alertsRoute.GET as Handler, "GET", `/api/v1/alerts?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(msg);
  });

  it("shows an incident's headline and related signals, and lists alerts and anomalies by when the behaviour happened", async () => {
    const happened = Date.parse("2026-03-01T10:00:00Z");
    const detected = new Date("2026-03-08T12:00:00Z");
    const signals = [
      { detector: "chain_length", metric: "steps", entity: "svc/agent", score: 0.99, severity: "critical" },
      { detector: "loop", metric: "repeated_call", entity: "svc/agent", score: 0.8, severity: "high" },
      { detector: "latency", metric: "duration_ms", entity: "svc/agent/search/-", score: 0.9, severity: "high", spanId: "span-1" },
      { detector: "latency", metric: "duration_ms", entity: "svc/agent/search/-", score: 0.85, severity: "high", spanId: "span-2" },
    ];
    const rows = await Promise.all(signals.map((sig, i) => t.db.anomaly.create({
      data: {
        projectId, traceId: "trace-incident", spanId: sig.spanId ?? null, detector: sig.detector, metric: sig.metric, entity: sig.entity, score: sig.score,
        severity: sig.severity, explanation: `${sig.detector} signal`, fingerprint: fingerprintOf(projectId, sig.detector, sig.entity), dedupKey: `incident-${i}`,
        occurredAt: new Date(happened + i * 1000), occurredEndAt: new Date(happened + i * 1000 + 500), createdAt: detected,
      },
    })));
    await t.db.$transaction((tx) => recordAnomalies(tx, rows.map((r) => ({ ...r, spanId: r.spanId ?? undefined })), detected, { resolveAfterMs: 1_800_000, renotifyMs: 0 }));
    const alertId = (await t.db.anomaly.findFirstOrThrow({ where: { dedupKey: "incident-0" } })).alertId!;
    expect(new Set((await t.db.anomaly.findMany({ where: { traceId: "trace-incident" } })).map((a) => a.alertId))).toEqual(new Set([alertId]));

    const detail = await call(alertRoute.GET as Handler, "GET", `/api/v1/alerts/${alertId}`, { params: { id: alertId } });
    expect(detail.body.alert).toMatchObject({ title: "Loop anomaly on svc/agent", severity: "critical", count: 4, headlineAnomalyId: rows[1]!.id });
    expect(detail.body.headline).toMatchObject({ id: rows[1]!.id, detector: "loop", occurredAt: new Date(happened + 1000).toISOString() });
    expect(detail.body.signals.map((x: { detector: string; count: number; headline: boolean }) => [x.detector, x.count, x.headline])).toEqual([
      ["loop", 1, true], ["chain_length", 1, false], ["latency", 2, false],
    ]);
    expect(detail.body.signals[2].firstOccurredAt).toBe(new Date(happened + 2000).toISOString());
    // The project has no channel: the page says so rather than guessing at severities.
    expect(detail.body.deliveries).toEqual([]);
    expect(detail.body.noDeliveryReason).toMatch(/this project has no alert channel/);

    const around = (ms: number) => `from=${ms - 3_600_000}&to=${ms + 3_600_000}`;
    const byBehaviour = await call(alertsRoute.GET as Handler, "GET", `/api/v1/alerts?${around(happened)}`);
    expect(byBehaviour.body.alerts.map((a: { id: string }) => a.id)).toEqual([alertId]);
    const byDetection = await call(alertsRoute.GET as Handler, "GET", `/api/v1/alerts?${around(detected.getTime())}`);
    expect(byDetection.body.alerts).toEqual([]);
    const since = new Date(happened - 60_000).toISOString();
    const anomalies = await call(anomaliesRoute.GET as Handler, "GET", `/api/v1/anomalies?since=${since}&until=${new Date(happened + 60_000).toISOString()}`);
    expect(anomalies.body.anomalies.map((a: { dedupKey: string }) => a.dedupKey)).toEqual(["incident-3", "incident-2", "incident-1", "incident-0"]);
    const detectedWindow = await call(anomaliesRoute.GET as Handler, "GET", `/api/v1/anomalies?since=${new Date(detected.getTime() - 60_000).toISOString()}&until=${new Date(detected.getTime() + 60_000).toISOString()}`);
    expect(detectedWindow.body.anomalies).toEqual([]);
  });

  it("requires an API key", async () => {
    expect((await call(alertsRoute.GET as Handler, "GET", "/api/v1/alerts", { auth: false })).status).toBe(401);
  });

  it("shows one alert with its anomalies, traces and delivery log; ack then resolve notifies the resolution", async () => {
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook`, secret: "s".repeat(16) });
    const { alert, deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    await t.db.anomaly.create({
      data: { projectId, traceId: "trace-x", detector: "latency", metric: "duration_ms", entity: alert.entity, score: 0.9, severity: "high", explanation: "e", fingerprint: alert.fingerprint, dedupKey: `d-${alert.id}`, alertId: alert.id },
    });
    await t.db.deliveryAttempt.create({ data: { deliveryId: deliveries[0]!.id, attempt: 1, durationMs: 12, statusCode: 503, error: "HTTP 503: down" } });

    const detail = await call(alertRoute.GET as Handler, "GET", `/api/v1/alerts/${alert.id}`, { params: { id: alert.id } });
    expect(detail.status).toBe(200);
    expect(detail.body.alert).toMatchObject({ id: alert.id, status: "open", severity: "high" });
    expect(detail.body.anomalies).toHaveLength(1);
    expect(detail.body.traces).toEqual([expect.objectContaining({ traceId: "trace-x", anomalies: 1 })]);
    expect(detail.body.noDeliveryReason).toBeNull();
    expect(detail.body.deliveries).toEqual([
      expect.objectContaining({ reason: "opened", status: "pending", channel: { id: channel.id, name: channel.name, type: "webhook" }, attemptsLog: [expect.objectContaining({ attempt: 1, statusCode: 503, error: "HTTP 503: down" })] }),
    ]);
    expect(JSON.stringify(detail.body)).not.toContain(receiver.url);

    const ack = await call(ackRoute.POST as Handler, "POST", `/api/v1/alerts/${alert.id}/ack`, { params: { id: alert.id } });
    expect(ack.body.alert).toMatchObject({ status: "acknowledged" });
    expect(ack.body.alert.acknowledgedAt).toBeTruthy();
    const resolved = await call(resolveRoute.POST as Handler, "POST", `/api/v1/alerts/${alert.id}/resolve`, { params: { id: alert.id } });
    expect(resolved.body.alert).toMatchObject({ status: "resolved", activeKey: null });
    const again = await call(resolveRoute.POST as Handler, "POST", `/api/v1/alerts/${alert.id}/resolve`, { params: { id: alert.id } });
    expect(again.status).toBe(200);
    const ackResolved = await call(ackRoute.POST as Handler, "POST", `/api/v1/alerts/${alert.id}/ack`, { params: { id: alert.id } });
    expect(ackResolved.status).toBe(409);
    expect((await t.db.alertDelivery.findMany({ where: { alertId: alert.id } })).map((d) => d.reason).sort()).toEqual(["opened", "resolved"]);

    const missing = await call(alertRoute.GET as Handler, "GET", "/api/v1/alerts/nope", { params: { id: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("creates, lists, updates, tests and deletes channels without ever returning the URL or secret again", async () => {
    const url = `${receiver.url}/hooks/very-secret-token-abcd`;
    const created = await call(channelsRoute.POST as Handler, "POST", "/api/v1/channels", { body: { type: "webhook", name: "pager", url, minSeverity: "high" } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.channel).toMatchObject({ name: "pager", type: "webhook", minSeverity: "high", enabled: true, hasSecret: true, source: "user", url: `http://127.0.0.1:${receiver.port}/…abcd` });
    const id = created.body.channel.id as string;

    const list = await call(channelsRoute.GET as Handler, "GET", "/api/v1/channels");
    expect(JSON.stringify(list.body)).not.toContain("very-secret-token");
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const patched = await call(channelRoute.PATCH as Handler, "PATCH", `/api/v1/channels/${id}`, { params: { id }, body: { minSeverity: "low", enabled: false } });
    expect(patched.body.channel).toMatchObject({ minSeverity: "low", enabled: false });
    expect(patched.body.secret).toBeUndefined();

    const before = receiver.requests.length;
    const tested = await call(testRoute.POST as Handler, "POST", `/api/v1/channels/${id}/test`, { params: { id } });
    expect(tested.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    const req = receiver.requests[before]!;
    expect(verifyWebhook({ secret: created.body.secret, body: req.body, timestamp: req.headers["x-argus-timestamp"] as string, signature: req.headers["x-argus-signature"] as string })).toEqual({ ok: true });
    expect(JSON.parse(req.body)).toMatchObject({ type: "test" });

    expect((await call(channelRoute.DELETE as Handler, "DELETE", `/api/v1/channels/${id}`, { params: { id } })).status).toBe(204);
    expect((await call(channelRoute.DELETE as Handler, "DELETE", `/api/v1/channels/${id}`, { params: { id } })).status).toBe(404);
  });

  const badChannels = [
    { name: "unknown type", body: { type: "email", name: "x", url: "https://x.test/a" }, msg: /type/ },
    { name: "not a URL", body: { type: "slack", name: "x", url: "hooks.slack.com" }, msg: /http\(s\) URL/ },
    { name: "ftp URL", body: { type: "slack", name: "x", url: "ftp://x.test/a" }, msg: /http\(s\) URL/ },
    { name: "secret on slack", body: { type: "slack", name: "x", url: "https://x.test/a", secret: "0123456789abcdef" }, msg: /no secret/ },
    { name: "short secret", body: { type: "webhook", name: "x", url: "https://x.test/a", secret: "short" }, msg: /16 characters/ },
    { name: "bad severity", body: { type: "slack", name: "x", url: "https://x.test/a", minSeverity: "urgent" }, msg: /minSeverity/ },
    { name: "unknown field", body: { type: "slack", name: "x", url: "https://x.test/a", colour: "red" }, msg: /colour|Unrecognized/i },
    { name: "invalid JSON", body: "{", msg: /not valid JSON/ },
  ];
  it.each(badChannels)("rejects a channel with $name", async ({ body, msg }) => {
    const res = await call(channelsRoute.POST as Handler, "POST", "/api/v1/channels", { body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(msg);
  });

  it("reports a failing test message and keeps env channels under the operator's control", async () => {
    await syncEnvChannels(t.db, { ARGUS_SLACK_WEBHOOK_URL: "http://127.0.0.1:9/services/env", ARGUS_WEBHOOK_URL: undefined, ARGUS_WEBHOOK_SECRET: undefined });
    const env = await t.db.notificationChannel.findFirstOrThrow({ where: { projectId, source: "env", type: "slack" } });
    const tested = await call(testRoute.POST as Handler, "POST", `/api/v1/channels/${env.id}/test`, { params: { id: env.id } });
    expect(tested.body).toMatchObject({ delivered: false, statusCode: null });
    expect(tested.body.error).toMatch(/^could not connect to the receiver$/);
    expect((await t.db.alertDelivery.findUniqueOrThrow({ where: { id: tested.body.deliveryId } })).status).toBe("failed");

    expect((await call(channelRoute.PATCH as Handler, "PATCH", `/api/v1/channels/${env.id}`, { params: { id: env.id }, body: { url: "https://x.test/b" } })).status).toBe(409);
    expect((await call(channelRoute.DELETE as Handler, "DELETE", `/api/v1/channels/${env.id}`, { params: { id: env.id } })).status).toBe(409);
    expect((await call(channelRoute.PATCH as Handler, "PATCH", `/api/v1/channels/${env.id}`, { params: { id: env.id }, body: { enabled: false } })).body.channel.enabled).toBe(false);
  });

  it("retries a failed delivery by hand and refuses others", async () => {
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook` });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const id = deliveries[0]!.id;
    expect((await call(retryRoute.POST as Handler, "POST", `/api/v1/deliveries/${id}/retry`, { params: { id } })).status).toBe(409);
    await t.db.alertDelivery.update({ where: { id }, data: { status: "failed", attempts: 8, lastError: "HTTP 404" } });
    const retried = await call(retryRoute.POST as Handler, "POST", `/api/v1/deliveries/${id}/retry`, { params: { id } });
    expect(retried.body.delivery).toMatchObject({ id, status: "pending", attempts: 0 });
    expect((await call(retryRoute.POST as Handler, "POST", "/api/v1/deliveries/nope/retry", { params: { id: "nope" } })).status).toBe(404);
  });
});
