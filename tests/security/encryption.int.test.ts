// Issue 17, finding 11: channel secrets and Slack URLs at rest, on both databases. Encrypted when saved
// through the API and still delivered with the right signature; legacy plaintext encrypted at start;
// a process with another key refuses to start with a clear message; key rotation with the CLI.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { FINGERPRINT_SETTING, KEY_FILE_NAME, loadInstanceKey, prepareInstanceKey } from "@/lib/crypto/instance-key";
import { encryptPlaintextSecrets } from "@/lib/crypto/reencrypt-secrets";
import { decryptSecret, generateSecretKey, keyFingerprint, parseSecretKey } from "@/lib/crypto/secret-box";
import { openChannel, SECRET_CONTEXT, URL_CONTEXT } from "@/lib/notify/channel-secrets";
import { verifyWebhook } from "@/lib/notify/webhook-signature";
import { webServerArgs } from "@/lib/server/web-command";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { freePort, startServer } from "@/tests/helpers/server";

const root = path.resolve(import.meta.dirname, "../..");
const TEST_KEY = process.env.ARGUS_ENCRYPTION_KEY!;
const key = parseSecretKey(TEST_KEY);

function run(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_ENV: "production", ARGUS_LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

describe.each(PROVIDERS)("secrets at rest on %s", (provider) => {
  let t: TestDatabase;
  let receiver: http.Server;
  let receiverUrl = "";
  const bodies: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => (bodies.push({ body, headers: req.headers }), res.end("ok")));
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/secret-path-5e2a`;
  }, 60_000);
  afterAll(async () => {
    receiver?.close();
    await t?.cleanup();
  });

  it("saved through the API: stored encrypted, still masked, still delivered with a valid signature", async () => {
    const server = await startServer({ databaseUrl: t.databaseUrl });
    try {
      const admin = (await createApiKey(t.db, server.projectId, "owner", ["admin", "read"])).key;
      const call = (method: string, p: string, body?: unknown) =>
        fetch(`${server.url}${p}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const created = await call("POST", "/api/v1/channels", { type: "webhook", name: "signed", url: receiverUrl, secret: "whsec_0123456789abcdef_at_rest" });
      expect(created.status).toBe(201);
      const { channel } = (await created.json()) as { channel: { id: string; url: string } };
      const row = await t.db.notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
      expect(row.url).toMatch(/^enc:v1:/);
      expect(row.secret).toMatch(/^enc:v1:/);
      expect(JSON.stringify(row)).not.toMatch(/secret-path-5e2a|at_rest/);
      expect(channel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…5e2a$/);
      const test = await call("POST", `/api/v1/channels/${channel.id}/test`);
      expect(((await test.json()) as { delivered: boolean }).delivered).toBe(true);
      const got = bodies.at(-1)!;
      expect(verifyWebhook({ secret: "whsec_0123456789abcdef_at_rest", body: got.body, timestamp: got.headers["x-argus-timestamp"] as string, signature: got.headers["x-argus-signature"] as string }).ok).toBe(true);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("legacy plaintext rows are encrypted at start and read the same afterwards", async () => {
    const project = await t.db.project.create({ data: { name: "legacy" } });
    const legacy = await t.db.notificationChannel.create({ data: { projectId: project.id, type: "slack", name: "old", url: "https://hooks.slack.com/services/T0/B0/legacyplain" } });
    const { encrypted } = await prepareInstanceKey(t.db, { ARGUS_ENCRYPTION_KEY: TEST_KEY, ARGUS_DATA_DIR: os.tmpdir() }, { encryptPlaintext: encryptPlaintextSecrets });
    expect(encrypted).toBeGreaterThanOrEqual(1);
    const row = await t.db.notificationChannel.findUniqueOrThrow({ where: { id: legacy.id } });
    expect(row.url).toMatch(/^enc:v1:/);
    expect(openChannel(row, key).url).toBe("https://hooks.slack.com/services/T0/B0/legacyplain");
    expect(await encryptPlaintextSecrets(t.db, key)).toBe(0);
  });

  it("a web process or worker with another key refuses to start, saying why", async () => {
    const other = generateSecretKey();
    const env = { DATABASE_URL: t.databaseUrl, ARGUS_ENCRYPTION_KEY: other };
    const web = await run(webServerArgs(root, await freePort(), "127.0.0.1"), env);
    const worker = await run(["--import", "tsx", path.join(root, "workers/main.ts"), "notifier"], env);
    for (const result of [web, worker]) {
      expect(result.code).toBe(78);
      expect(result.output).toContain(`fingerprint ${keyFingerprint(parseSecretKey(other))}) is not the key this database's secrets are encrypted with (fingerprint ${keyFingerprint(key)})`);
      expect(result.output).toContain("Every process (web and workers) must use the same ARGUS_ENCRYPTION_KEY");
    }
  }, 90_000);

  it("rotation: `argus secrets rotate` re-encrypts every secret under the new key and records its fingerprint", async () => {
    const next = generateSecretKey();
    const before = await t.db.notificationChannel.findMany({ orderBy: { id: "asc" } });
    const clear = before.map((r) => openChannel(r, key));
    const cli = (env: Record<string, string>) => run(["--import", "tsx", path.join(root, "scripts/cli.ts"), "secrets", "rotate"], { DATABASE_URL: t.databaseUrl, ...env });
    const wrong = await cli({ ARGUS_PREVIOUS_ENCRYPTION_KEY: generateSecretKey(), ARGUS_ENCRYPTION_KEY: next });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/is not the key in use/);
    const rotated = await cli({ ARGUS_PREVIOUS_ENCRYPTION_KEY: TEST_KEY, ARGUS_ENCRYPTION_KEY: next });
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toMatch(new RegExp(`re-encrypted ${before.length} channel`));
    const after = await t.db.notificationChannel.findMany({ orderBy: { id: "asc" } });
    const nextKey = parseSecretKey(next);
    expect(after.map((r) => openChannel(r, nextKey))).toEqual(clear.map((c) => ({ ...c, updatedAt: expect.any(Date) })));
    expect(() => decryptSecret(after[0]!.url, key, URL_CONTEXT)).toThrow(/does not decrypt/);
    expect((await t.db.instanceSetting.findUniqueOrThrow({ where: { key: FINGERPRINT_SETTING } })).value).toBe(keyFingerprint(nextKey));
    // Rotating again is a no-op; the old key is now refused, the new one accepted.
    expect((await cli({ ARGUS_PREVIOUS_ENCRYPTION_KEY: TEST_KEY, ARGUS_ENCRYPTION_KEY: next })).output).toMatch(/re-encrypted 0 channel/);
    const old = await run(["--import", "tsx", path.join(root, "scripts/cli.ts"), "keys", "list"], { DATABASE_URL: t.databaseUrl, ARGUS_ENCRYPTION_KEY: TEST_KEY });
    expect(old.code).toBe(1);
    const fresh = await run(["--import", "tsx", path.join(root, "scripts/cli.ts"), "keys", "list"], { DATABASE_URL: t.databaseUrl, ARGUS_ENCRYPTION_KEY: next });
    expect(fresh.code, fresh.output).toBe(0);
    // Back to the test key for the other tests of this run.
    expect((await cli({ ARGUS_PREVIOUS_ENCRYPTION_KEY: next, ARGUS_ENCRYPTION_KEY: TEST_KEY })).code).toBe(0);
    void SECRET_CONTEXT;
  }, 120_000);
});

describe("the embedded setup's key file", () => {
  it("is generated once, 0600 in a 0700 data directory, and reused", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "argus-key-")), "data");
    try {
      const first = loadInstanceKey({ ARGUS_ENCRYPTION_KEY: undefined, ARGUS_DATA_DIR: dir });
      const file = path.join(dir, KEY_FILE_NAME);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(loadInstanceKey({ ARGUS_ENCRYPTION_KEY: undefined, ARGUS_DATA_DIR: dir }).fingerprint).toBe(first.fingerprint);
      expect(parseSecretKey(readFileSync(file, "utf8"))).toEqual(first.key);
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
