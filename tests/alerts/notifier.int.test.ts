// The notifier against a real HTTP receiver on 127.0.0.1, on SQLite and PostgreSQL.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordAnomalies } from "@/lib/alerts/record-anomalies";
import { fingerprintOf } from "@/lib/detect/types";
import { createNotifier, notifierConfigFromEnv, type NotifierConfig } from "@/lib/notify/notifier";
import { SLACK_LIMITS } from "@/lib/notify/slack-message";
import { retryDelivery } from "@/lib/notify/retry-delivery";
import { runNotifierOnce } from "@/workers/notifier";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { seedAlertWithDeliveries, seedChannel, silentLog, testEnv } from "./fixtures";
import { startReceiver, type Receiver } from "./receiver";
import { waitFor } from "./wait-for";

async function loadDocumentedVerifier(): Promise<(input: { secret: string; rawBody: string; headers: Record<string, unknown> }) => boolean> {
  const doc = readFileSync(path.resolve(import.meta.dirname, "../../docs/webhooks.md"), "utf8");
  const match = /<!-- verify-snippet:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-snippet:end -->/.exec(doc);
  if (!match) throw new Error("docs/webhooks.md lost its verification snippet markers");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "argus-snippet-")), "verify.mjs");
  writeFileSync(file, match[1]!);
  return (await import(/* @vite-ignore */ file)).verifyArgusWebhook;
}

describe.each(PROVIDERS)("notifier on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  let receiver: Receiver;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "p" } })).id;
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function receiverWith(respond?: Parameters<typeof startReceiver>[0]) {
    receiver = await startReceiver(respond);
    receivers.push(receiver);
    return receiver;
  }
  const ctx = () => ({ db: t.db, env: testEnv(t.databaseUrl), log: silentLog });
  const config = (over: Partial<NotifierConfig> = {}): Partial<NotifierConfig> => ({
    outbox: { maxAttempts: 5, timeoutMs: 2_000, backoff: { baseMs: 50, maxMs: 400 }, leaseMarginMs: 1_000 }, ...over,
  });
  /** Runs notifier passes until the delivery leaves pending/sending. */
  async function deliverUntilSettled(deliveryId: string, over: Partial<NotifierConfig> = {}, timeoutMs = 20_000) {
    return waitFor(async () => {
      await runNotifierOnce(ctx(), config(over));
      const row = await t.db.alertDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      return row.status === "delivered" || row.status === "failed" ? row : null;
    }, { timeoutMs, intervalMs: 20, what: `delivery ${deliveryId} to settle` });
  }

  it("signs webhooks so the documented snippet verifies them, with the idempotency key", async () => {
    const verify = await loadDocumentedVerifier();
    await receiverWith();
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook`, secret: "whsec_test" });
    const { alert, deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const row = await deliverUntilSettled(deliveries[0]!.id);

    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(verify({ secret: "whsec_test", rawBody: req.body, headers: req.headers })).toBe(true);
    expect(verify({ secret: "wrong", rawBody: req.body, headers: req.headers })).toBe(false);
    expect(verify({ secret: "whsec_test", rawBody: req.body.replace("8400", "9400"), headers: req.headers })).toBe(false);
    expect(req.headers["x-argus-idempotency-key"]).toBe(deliveries[0]!.idempotencyKey);
    expect(JSON.parse(req.body)).toMatchObject({ id: deliveries[0]!.idempotencyKey, type: "alert.opened", alert: { id: alert.id, url: `http://argus.test/alerts/${alert.id}` } });
    const log = await t.db.deliveryAttempt.findMany({ where: { deliveryId: row.id } });
    expect(log).toMatchObject([{ attempt: 1, statusCode: 200, error: null }]);
  });

  it("posts Block Kit messages to Slack webhooks within Slack's limits", async () => {
    await receiverWith();
    const channel = await seedChannel(t.db, projectId, { type: "slack", url: `${receiver.url}/services/T0/B0/xyz` });
    const { alert, deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    await deliverUntilSettled(deliveries[0]!.id);

    expect(receiver.requests).toHaveLength(1);
    const msg = JSON.parse(receiver.requests[0]!.body) as { text: string; blocks: Array<{ type: string; text: { text: string }; elements: { url: string }[] }> };
    expect(receiver.requests[0]!.headers["content-type"]).toContain("application/json");
    expect(msg.text).toContain("[HIGH]");
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(msg.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
    expect(msg.blocks[0]!.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(msg.blocks[4]!.elements.map((e: { url: string }) => e.url)).toEqual([`http://argus.test/alerts/${alert.id}`, expect.stringMatching(/\/traces\/trace-/)]);
  });

  it("keeps retrying while the receiver is down and delivers exactly once when it is back", async () => {
    await receiverWith();
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook`, secret: "s" });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    await receiver.stop();
    const id = deliveries[0]!.id;
    await waitFor(async () => {
      await runNotifierOnce(ctx(), config({ outbox: { maxAttempts: 20, timeoutMs: 2_000, backoff: { baseMs: 50, maxMs: 200 }, leaseMarginMs: 1_000 } }));
      return (await t.db.deliveryAttempt.count({ where: { deliveryId: id } })) >= 3;
    }, { what: "three failed attempts" });
    await receiver.start();
    const row = await deliverUntilSettled(id, { outbox: { maxAttempts: 20, timeoutMs: 2_000, backoff: { baseMs: 50, maxMs: 200 }, leaseMarginMs: 1_000 } });

    expect(row.status).toBe("delivered");
    expect(receiver.requests).toHaveLength(1);
    const log = await t.db.deliveryAttempt.findMany({ where: { deliveryId: id }, orderBy: { attempt: "asc" } });
    expect(log.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(log.slice(0, -1).every((a) => a.statusCode === null && a.error === "could not connect to the receiver")).toBe(true);
    // Nothing else is sent by later passes.
    await runNotifierOnce(ctx(), config());
    expect(receiver.requests).toHaveLength(1);
  });

  it("honours Slack's 429 Retry-After before retrying", async () => {
    await receiverWith((_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" }, body: "rate_limited" } : { status: 200, body: "ok" }));
    const channel = await seedChannel(t.db, projectId, { type: "slack", url: `${receiver.url}/services/x` });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const row = await deliverUntilSettled(deliveries[0]!.id);

    expect(row.status).toBe("delivered");
    expect(receiver.requests.map((r) => r.answered)).toEqual([429, 200]);
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
    const log = await t.db.deliveryAttempt.findMany({ where: { deliveryId: row.id }, orderBy: { attempt: "asc" } });
    expect(log.map((a) => a.statusCode)).toEqual([429, 200]);
    // The status, not the receiver's body (issue 17: answers of internal services were echoed).
    expect(log[0]!.error).toBe("HTTP 429 Too Many Requests");
  });

  it("times out a slow receiver and retries with the same idempotency key", async () => {
    await receiverWith((_req, i) => (i === 0 ? { status: 200, delayMs: 1_500 } : { status: 200 }));
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook`, secret: "s" });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const row = await deliverUntilSettled(deliveries[0]!.id, { outbox: { maxAttempts: 5, timeoutMs: 300, backoff: { baseMs: 50, maxMs: 100 }, leaseMarginMs: 500 } });

    expect(row.status).toBe("delivered");
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    const log = await t.db.deliveryAttempt.findMany({ where: { deliveryId: row.id }, orderBy: { attempt: "asc" } });
    expect(log[0]!.error).toBe("no answer within 300 ms");
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(290);
    expect(new Set(receiver.requests.map((r) => r.headers["x-argus-idempotency-key"])).size).toBe(1);
  });

  it("fails permanently on 404, keeps the error visible, and retries by hand", async () => {
    let gone = true;
    await receiverWith(() => (gone ? { status: 404, body: "no_service" } : { status: 200 }));
    const channel = await seedChannel(t.db, projectId, { type: "slack", url: `${receiver.url}/services/gone` });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const failed = await deliverUntilSettled(deliveries[0]!.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 404, lastError: "HTTP 404 Not Found" });

    gone = false;
    await retryDelivery(t.db, projectId, failed.id, new Date());
    const row = await deliverUntilSettled(failed.id);
    expect(row.status).toBe("delivered");
    expect(await t.db.deliveryAttempt.count({ where: { deliveryId: row.id } })).toBe(2);
  });

  it("gives up after the retry budget and marks the delivery failed", async () => {
    await receiverWith(() => ({ status: 503, body: "down" }));
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook` });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [channel.id]);
    const row = await deliverUntilSettled(deliveries[0]!.id, { outbox: { maxAttempts: 3, timeoutMs: 1_000, backoff: { baseMs: 20, maxMs: 50 }, leaseMarginMs: 500 } });
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastStatusCode: 503 });
    expect(row.lastError).toContain("gave up after 3 attempts");
    expect(receiver.requests).toHaveLength(3);
  });

  it("does not let a hanging channel hold up the others", async () => {
    const hanging = await receiverWith(() => ({ hang: true }));
    const healthy = await receiverWith();
    const slow = await seedChannel(t.db, projectId, { url: `${hanging.url}/hook` });
    const fast = await seedChannel(t.db, projectId, { type: "slack", url: `${healthy.url}/services/ok` });
    const { deliveries } = await seedAlertWithDeliveries(t.db, projectId, [slow.id, fast.id]);
    const notifier = createNotifier({ db: t.db, env: testEnv(t.databaseUrl), log: silentLog, config: notifierConfigFromEnv(testEnv(t.databaseUrl), config({ outbox: { maxAttempts: 5, timeoutMs: 5_000, backoff: { baseMs: 50, maxMs: 100 }, leaseMarginMs: 1_000 } })) });
    const fastId = deliveries.find((d) => d.channelId === fast.id)!.id;
    await waitFor(async () => {
      await notifier.tick();
      return (await t.db.alertDelivery.findUniqueOrThrow({ where: { id: fastId } })).status === "delivered";
    }, { timeoutMs: 4_000, what: "healthy channel delivered while the other hangs" });
    expect(hanging.requests).toHaveLength(1);
    expect(notifier.inFlightCount()).toBe(1);
    await hanging.close();
    await notifier.drain();
  });

  it("never sends a delivery twice when two notifiers race", async () => {
    await receiverWith();
    const channel = await seedChannel(t.db, projectId, { url: `${receiver.url}/hook` });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(...(await seedAlertWithDeliveries(t.db, projectId, [channel.id])).deliveries.map((d) => d.id));
    const wide = config({ maxInFlight: 32, maxInFlightPerChannel: 32 });
    await Promise.all([runNotifierOnce(ctx(), wide), runNotifierOnce(ctx(), wide), runNotifierOnce(ctx(), wide)]);
    await waitFor(async () => {
      await runNotifierOnce(ctx(), wide);
      return (await t.db.alertDelivery.count({ where: { id: { in: ids }, status: "delivered" } })) === ids.length;
    }, { what: "all deliveries" });
    const keys = receiver.requests.map((r) => r.headers["x-argus-idempotency-key"]);
    expect(keys).toHaveLength(ids.length);
    expect(new Set(keys).size).toBe(ids.length);
  });

  it("turns 1,000 anomalous spans into one alert and one notification", async () => {
    await receiverWith();
    const p = await t.db.project.create({ data: { name: "burst" } });
    await seedChannel(t.db, p.id, { url: `${receiver.url}/hook`, secret: "s" });
    const now = new Date();
    const fingerprint = fingerprintOf(p.id, "latency", "svc/burst");
    const anomalies = Array.from({ length: 1000 }, (_, i) => ({
      id: `burst-${provider}-${i}`, projectId: p.id, detector: "latency", entity: "svc/burst", severity: "high", score: 0.9,
      explanation: "latency 8.4 s vs usual 1.1 s", fingerprint, traceId: `t${i}`, createdAt: now,
    }));
    await t.db.$transaction(async (tx) => {
      await tx.anomaly.createMany({ data: anomalies.map((a) => ({ ...a, metric: "duration_ms", dedupKey: a.id })) });
      await recordAnomalies(tx, anomalies, now, { resolveAfterMs: 60_000, renotifyMs: 3_600_000 });
    }, { timeout: 30_000 }); // 1,000 inserts and their alert in one transaction: more than Prisma's default 5 s on a loaded machine
    await waitFor(async () => {
      await runNotifierOnce(ctx(), config());
      return (await t.db.alertDelivery.count({ where: { projectId: p.id, status: { in: ["pending", "sending"] } } })) === 0;
    }, { what: "outbox drained" });
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: "alert.opened", alert: { count: 1000, severity: "high" } });
  });
});
