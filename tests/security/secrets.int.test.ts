// Secrets never leak: the production server's stdout/stderr (debug logging) and every API response after
// creation are searched for the API key, the password, the session token, the webhook URL path and secret.
// API keys, passwords and session tokens are stored only as hashes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/auth/api-keys";
import { verifyPassword } from "@/lib/auth/password";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { discoverRoutes, paramNames } from "./routes";

const PASSWORD = "Pa55word-correct-horse-7781";
const WEBHOOK_PATH = "hook-path-0f3c9e1d77aa41b2";
const WEBHOOK_SECRET = "whsec_topsecret_5a8b1c2d3e4f5a6b";

describe.each(PROVIDERS)("secrets on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: string[] = [];
  const responses: { label: string; text: string }[] = [];
  let apiKey = "";
  let sessionToken = "";
  let csrf = "";

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", cookie: `argus_session=${sessionToken}; argus_csrf=${csrf}`, "x-csrf-token": csrf, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await res.text();
    return { status: res.status, text, res };
  }

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      received.push(req.url ?? "");
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/${WEBHOOK_PATH}`;
    t = await createTestDatabase(provider);
    server = await startServer({ databaseUrl: t.databaseUrl, captureOutput: true, env: { ARGUS_LOG_LEVEL: "debug" } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    receiver?.close();
    await t?.cleanup();
  });

  it("drives setup, login, key and channel creation, ingestion; nothing secret comes back or is logged", async () => {
    const setup = await call("POST", "/api/auth/setup", { email: "owner@argus.test", password: PASSWORD });
    expect(setup.status, setup.text).toBe(201);
    expect((await call("POST", "/api/auth/login", { email: "owner@argus.test", password: `${PASSWORD}-wrong` })).status).toBe(401);
    const login = await call("POST", "/api/auth/login", { email: "owner@argus.test", password: PASSWORD });
    expect(login.status).toBe(200);
    const cookies = Object.fromEntries(login.res.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));
    sessionToken = cookies.argus_session!;
    csrf = decodeURIComponent(cookies.argus_csrf!);
    responses.push({ label: "login", text: login.text });

    const key = await call("POST", "/api/v1/keys", { name: "ingest" });
    expect(key.status, key.text).toBe(201);
    apiKey = (JSON.parse(key.text) as { key: string }).key;
    expect(apiKey).toMatch(/^argus_/);

    const channel = await call("POST", "/api/v1/channels", { type: "webhook", name: "ops", url: receiverUrl, secret: WEBHOOK_SECRET });
    expect(channel.status, channel.text).toBe(201);
    const channelId = (JSON.parse(channel.text) as { id?: string; channel?: { id: string } }).id ?? (JSON.parse(channel.text) as { channel: { id: string } }).channel.id;
    // The creation answer may show the secret once (the caller chose it); never the URL path.
    expect(channel.text).not.toContain(WEBHOOK_PATH);

    const testSend = await call("POST", `/api/v1/channels/${channelId}/test`);
    expect(testSend.status, testSend.text).toBeLessThan(300);
    expect(received).toContain(`/${WEBHOOK_PATH}`);
    responses.push({ label: "channel test", text: testSend.text });
    const patched = await call("PATCH", `/api/v1/channels/${channelId}`, { name: "ops-renamed" });
    expect(patched.status).toBe(200);
    responses.push({ label: "channel update", text: patched.text });

    const trace = agentTrace(undefined, BigInt(Date.now()) * 1_000_000n);
    const ingest = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(jsonRequest(trace)) });
    expect(ingest.status).toBe(200);
    responses.push({ label: "ingest", text: await ingest.text() });
    const badKey = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${apiKey}x`, "content-type": "application/json" }, body: "{}" });
    expect(badKey.status).toBe(401);
    responses.push({ label: "ingest with a wrong key", text: await badKey.text() });

    // Every GET route without path parameters, as the signed-in user and with the API key.
    for (const route of discoverRoutes().filter((r) => paramNames(r.pattern).length === 0)) {
      for (const auth of [{}, { authorization: `Bearer ${apiKey}`, cookie: "" }] as Record<string, string>[]) {
        const res = await call("GET", route.pattern, undefined, auth);
        if (res.status !== 405) responses.push({ label: `GET ${route.pattern}`, text: res.text });
      }
    }
    responses.push({ label: "trace view", text: (await call("GET", `/api/v1/traces/${trace[0]!.traceId}`)).text });
    expect(responses.length).toBeGreaterThan(20);

    const secrets = { apiKey, apiKeyBody: apiKey.slice(12), password: PASSWORD, sessionToken, csrf, webhookPath: WEBHOOK_PATH, webhookSecret: WEBHOOK_SECRET };
    for (const { label, text } of responses) {
      for (const [name, value] of Object.entries(secrets)) expect(text.includes(value), `${label} response contains the ${name}`).toBe(false);
    }
    await server.stop();
    const logs = server.output();
    expect(logs.length, "debug logging produced output").toBeGreaterThan(0);
    for (const [name, value] of Object.entries(secrets)) expect(logs.includes(value), `server logs contain the ${name}`).toBe(false);
  }, 120_000);

  it("stores API keys, passwords and session tokens only as hashes", async () => {
    const keyRow = await t.db.apiKey.findFirstOrThrow({ where: { hash: hashApiKey(apiKey) } });
    expect(keyRow.prefix.length).toBeLessThan(16);
    expect(apiKey.startsWith(keyRow.prefix)).toBe(true);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "owner@argus.test" } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, user.passwordHash!)).toBe(true);
    const sessions = await t.db.session.findMany();
    expect(sessions.length).toBeGreaterThan(0);
    // No column of any of these tables holds a secret in the clear.
    const rows = JSON.stringify({
      keys: await t.db.apiKey.findMany(), users: await t.db.user.findMany(), sessions, projects: await t.db.project.findMany(),
      spans: await t.db.span.findMany(), throttles: await t.db.loginThrottle.findMany(),
    }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    for (const [name, value] of Object.entries({ apiKey, apiKeyBody: apiKey.slice(12), password: PASSWORD, sessionToken })) {
      expect(rows.includes(value), `a stored row contains the ${name}`).toBe(false);
    }
  });
});
