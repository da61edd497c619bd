// Issue 17, findings 2 and 7: outbound requests cannot be turned inward, and what they report leaks nothing.
// Reproduces the attack over HTTP against the production server: an owner (or an admin key) saves channel
// URLs naming loopback, private and metadata addresses in every spelling, then uses the test endpoint as
// a port scanner and to read internal answers; delivery errors of a URL with credentials.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { createNotifier, notifierConfigFromEnv } from "@/lib/notify/notifier";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { seedAlertWithDeliveries, seedChannel, silentLog, testEnv } from "@/tests/alerts/fixtures";

const ADDRESS_FORMS = [
  "http://127.0.0.1/", "http://localhost:3000/", "http://0.0.0.0/", "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
  "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:7f00:1]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/",
  "http://100.64.0.1/", "http://224.0.0.1/", "http://[ff02::1]/", "http://[64:ff9b::7f00:1]/", "http://metadata/",
];

let t: TestDatabase;
let receiver: http.Server;
let receiverPort = 0;
const received: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  receiver = http.createServer((req, res) => {
    received.push(`${req.url} ${req.headers.authorization ?? ""}`);
    req.resume();
    res.writeHead(500).end("internal-service-banner: postgres 15.2 on 10.0.0.5, password=hunter2");
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverPort = (receiver.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  receiver?.close();
  await t?.cleanup();
});

async function api(server: TestServer, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe("finding 2: channel URLs reach public addresses only (default policy)", () => {
  let server: TestServer;
  let key = "";
  beforeAll(async () => {
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_OUTBOUND_ALLOW: "" } });
    key = (await createApiKey(t.db, server.projectId, "owner-key", ["admin", "read"])).key;
  }, 120_000);
  afterAll(async () => server?.stop());

  it.each(ADDRESS_FORMS)("refuses %s when the channel is saved, and stores nothing", async (url) => {
    const created = await api(server, key, "POST", "/api/v1/channels", { type: "webhook", name: "probe", url });
    expect(created.status, created.text).toBe(400);
    expect(created.text).toMatch(/outbound requests go to public addresses only/);
    expect(await t.db.notificationChannel.count({ where: { name: "probe" } })).toBe(0);
  });

  it("refuses the same URLs when an existing channel is changed to them", async () => {
    const created = await api(server, key, "POST", "/api/v1/channels", { type: "webhook", name: "public", url: "https://hooks.example/x" });
    expect(created.status, created.text).toBe(201);
    const id = (JSON.parse(created.text) as { channel: { id: string } }).channel.id;
    for (const url of ["http://127.0.0.1:5432/", "http://[::ffff:169.254.169.254]/"]) expect((await api(server, key, "PATCH", `/api/v1/channels/${id}`, { url })).status).toBe(400);
  });

  it("a row that points inward anyway (older version, restored backup) is refused at connect time by the test endpoint", async () => {
    const channel = await seedChannel(t.db, server.projectId, { url: `http://127.0.0.1:${receiverPort}/inward`, name: "legacy-inward" });
    const before = received.length;
    const res = await api(server, key, "POST", `/api/v1/channels/${channel.id}/test`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ delivered: false, statusCode: null, error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    expect(received.length).toBe(before);
  });
});

describe("finding 2: a self-hosted receiver on the allowlist; the test endpoint reports the status only", () => {
  let server: TestServer;
  let key = "";
  beforeAll(async () => {
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_OUTBOUND_ALLOW: "127.0.0.1" } });
    key = (await createApiKey(t.db, server.projectId, "owner-key", ["admin", "read"])).key;
  }, 120_000);
  afterAll(async () => server?.stop());

  it("the receiver's answer is not echoed: status only", async () => {
    const created = await api(server, key, "POST", "/api/v1/channels", { type: "webhook", name: "internal", url: `http://127.0.0.1:${receiverPort}/hook` });
    expect(created.status, created.text).toBe(201);
    const id = (JSON.parse(created.text) as { channel: { id: string } }).channel.id;
    const res = await api(server, key, "POST", `/api/v1/channels/${id}/test`);
    expect(JSON.parse(res.text)).toMatchObject({ delivered: false, statusCode: 500, error: "HTTP 500 Internal Server Error" });
    expect(res.text).not.toMatch(/hunter2|banner|postgres/);
    const alerts = await t.db.alertDelivery.findMany({ where: { channelId: id } });
    expect(JSON.stringify(alerts)).not.toMatch(/hunter2|banner/);
  });

  it("closed and open-but-silent ports answer alike: no port scanning", async () => {
    const results: string[] = [];
    for (const port of [1, 9]) {
      const created = await api(server, key, "POST", "/api/v1/channels", { type: "webhook", name: `scan-${port}`, url: `http://127.0.0.1:${port}/` });
      const id = (JSON.parse(created.text) as { channel: { id: string } }).channel.id;
      const answer = JSON.parse((await api(server, key, "POST", `/api/v1/channels/${id}/test`)).text) as { error: string };
      // Nor does the answer tell how long the attempt took (refused at once vs the timeout).
      expect(answer).not.toHaveProperty("durationMs");
      results.push(answer.error);
    }
    expect(new Set(results)).toEqual(new Set(["could not connect to the receiver"]));
  });
});

describe("finding 7: credentials in a webhook URL never appear in delivery errors, answers or logs", () => {
  it("a failing delivery to https://user:password@host records the failure without the URL", async () => {
    const project = await t.db.project.create({ data: { name: "creds" } });
    const channel = await seedChannel(t.db, project.id, { url: "http://deploy-bot:Sup3rS3cret@127.0.0.1:1/hook" });
    await seedAlertWithDeliveries(t.db, project.id, [channel.id]);
    const lines: string[] = [];
    const capture = { debug() {}, info: (m: string, f?: object) => lines.push(m + JSON.stringify(f)), warn: (m: string, f?: object) => lines.push(m + JSON.stringify(f)), error: (m: string, f?: object) => lines.push(m + JSON.stringify(f)) };
    const env = testEnv(t.databaseUrl);
    const notifier = createNotifier({ db: t.db, env, log: capture, config: notifierConfigFromEnv(env, { outbox: { maxAttempts: 1, timeoutMs: 1_000, backoff: { baseMs: 10, maxMs: 10 }, leaseMarginMs: 500 } }) });
    await notifier.tick();
    await notifier.drain();
    const delivery = await t.db.alertDelivery.findFirstOrThrow({ where: { channelId: channel.id }, include: { attemptsLog: true } });
    expect(delivery.status).toBe("failed");
    expect(delivery.lastError).toBe("could not connect to the receiver (gave up after 1 attempts)");
    const everything = JSON.stringify(delivery) + lines.join("\n");
    expect(everything).not.toMatch(/Sup3rS3cret|deploy-bot/);
    expect(lines.some((l) => l.includes("delivery attempt failed"))).toBe(true);
    void silentLog;
  });

  it("a working URL with credentials sends them as Basic authorization", async () => {
    const project = await t.db.project.create({ data: { name: "creds-ok" } });
    const channel = await seedChannel(t.db, project.id, { url: `http://deploy-bot:Sup3rS3cret@127.0.0.1:${receiverPort}/basic` });
    await seedAlertWithDeliveries(t.db, project.id, [channel.id]);
    const env = testEnv(t.databaseUrl);
    const notifier = createNotifier({ db: t.db, env, log: silentLog, config: notifierConfigFromEnv(env) });
    await notifier.tick();
    await notifier.drain();
    expect(received).toContain(`/basic Basic ${Buffer.from("deploy-bot:Sup3rS3cret").toString("base64")}`);
    const delivery = await t.db.alertDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(delivery.lastError).toBe("HTTP 500 Internal Server Error");
  });
});
