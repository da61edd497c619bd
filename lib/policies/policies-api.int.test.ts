// The policies API over real HTTP against both databases: apply makes immutable versions, reads and diffs
// them, refuses invalid policies with their line and column, and keeps projects and scopes apart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute, POST as applyRoute } from "@/app/api/v1/policies/route";
import { GET as versionsRoute } from "@/app/api/v1/policies/[name]/versions/route";
import { GET as versionRoute } from "@/app/api/v1/policies/[name]/versions/[version]/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { serveHandler } from "@/tests/helpers/serve-handler";

const SOURCE = readFileSync(path.resolve(import.meta.dirname, "../../docs/policies/refund-limits.yaml"), "utf8");
const V2 = SOURCE.replace("the 500 limit", "the refund limit");

function handler(req: Request): Promise<Response> {
  const url = new URL(req.url).pathname;
  let m: RegExpMatchArray | null;
  if (url === "/api/v1/policies") return req.method === "POST" ? applyRoute(req) : listRoute(req);
  if ((m = url.match(/^\/api\/v1\/policies\/([^/]+)\/versions$/))) return versionsRoute(req, { params: Promise.resolve({ name: decodeURIComponent(m[1]!) }) });
  if ((m = url.match(/^\/api\/v1\/policies\/([^/]+)\/versions\/([^/]+)$/))) {
    return versionRoute(req, { params: Promise.resolve({ name: decodeURIComponent(m[1]!), version: decodeURIComponent(m[2]!) }) });
  }
  return Promise.resolve(new Response("no route", { status: 404 }));
}

describe.each(PROVIDERS)("policies API on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  const keys: Record<"admin" | "read" | "ingest" | "otherAdmin", string> = { admin: "", read: "", ingest: "", otherAdmin: "" };
  const call = async (key: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(server.url + url, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const apply = (source: string, key = keys.admin) => call(key, "POST", "/api/v1/policies", { source });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    const shop = (await t.db.project.create({ data: { name: "shop" } })).id;
    const other = (await t.db.project.create({ data: { name: "other" } })).id;
    keys.admin = (await createApiKey(t.db, shop, "ci", ["admin"])).key;
    keys.read = (await createApiKey(t.db, shop, "dashboard", ["read"])).key;
    keys.ingest = (await createApiKey(t.db, shop, "agents", ["ingest"])).key;
    keys.otherAdmin = (await createApiKey(t.db, other, "other", ["admin", "read"])).key;
    server = await serveHandler(handler);
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("apply creates version 1; the same text again changes nothing; a new text makes version 2", async () => {
    const first = await apply(SOURCE);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: "refund-limits", version: 1, created: true, ruleCount: 4, examplesPassed: 6 });
    const again = await apply(SOURCE);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, created: false });
    const second = await apply(V2);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ version: 2, created: true });
    expect(await t.db.policyVersion.count()).toBe(2);
  });

  it("lists policies and versions, newest first, with who applied them", async () => {
    const list = await call(keys.read, "GET", "/api/v1/policies");
    expect(list.status).toBe(200);
    expect(list.body.policies).toEqual([expect.objectContaining({ name: "refund-limits", latestVersion: 2, ruleCount: 4, appliedBy: expect.stringMatching(/^key argus_\w+… \(ci\)$/) })]);
    const versions = await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions");
    expect((versions.body.versions as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    expect(versions.body.versions).toEqual([expect.not.objectContaining({ source: expect.anything() }), expect.anything()]);
  });

  it("reads any version's exact text, the latest by name, and a diff to the previous one", async () => {
    const v1 = await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/1");
    expect(v1.body).toMatchObject({ version: 1, source: SOURCE, latestVersion: 2 });
    const latest = await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/latest?compare=previous");
    expect(latest.body).toMatchObject({ version: 2, source: V2, compare: 1 });
    expect(latest.body.diff).toContain('-    message: "refund of {{args.amount}} exceeds the 500 limit for {{agent}}"\n+    message: "refund of {{args.amount}} exceeds the refund limit for {{agent}}"');
    const same = await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/2?compare=2");
    expect(same.body.diff).toBe("");
  });

  it("answers 404 for an unknown policy or version and 400 for a malformed version", async () => {
    expect((await call(keys.read, "GET", "/api/v1/policies/nope/versions")).status).toBe(404);
    expect((await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/9")).status).toBe(404);
    expect((await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/v1")).status).toBe(400);
    expect((await call(keys.read, "GET", "/api/v1/policies/refund-limits/versions/1?compare=x")).status).toBe(400);
  });

  it("refuses an invalid policy with line and column, and a policy whose examples fail, storing nothing", async () => {
    const invalid = await apply("name: broken\nrules:\n  - id: r1\n    outcome: deny\n    condition: agent > 5\n");
    expect(invalid.status).toBe(400);
    expect((invalid.body.error as { message: string }).message).toMatch(/line 5, column 16 rules\.0\.condition: rule 'r1': condition: no such overload: string > int/);
    const failing = await apply(SOURCE.replace("name: refund-limits", "name: strict").replace("expect: allow\n    matches: []", "expect: deny"));
    expect(failing.status).toBe(400);
    expect((failing.body.error as { message: string }).message).toMatch(/1 of the policy's examples fail.*a small refund goes through: expected deny, got allow/);
    expect(await t.db.policy.count({ where: { name: { in: ["broken", "strict"] } } })).toBe(0);
  });

  it("needs the admin scope to apply and the read scope to read", async () => {
    expect((await apply(SOURCE, keys.read)).status).toBe(403);
    expect((await apply(SOURCE, keys.ingest)).status).toBe(403);
    expect((await call(keys.ingest, "GET", "/api/v1/policies")).status).toBe(403);
    expect((await call("argus_not-a-key", "GET", "/api/v1/policies")).status).toBe(401);
  });

  it("keeps projects apart: another project's key sees no policy and its apply starts at version 1", async () => {
    expect((await call(keys.otherAdmin, "GET", "/api/v1/policies")).body.policies).toEqual([]);
    expect((await call(keys.otherAdmin, "GET", "/api/v1/policies/refund-limits/versions/1")).status).toBe(404);
    expect((await apply(V2, keys.otherAdmin)).body).toMatchObject({ version: 1, created: true });
  });

  it("concurrent applies of different texts never share or skip a version number", async () => {
    const texts = Array.from({ length: 6 }, (_, i) => SOURCE.replace("name: refund-limits", "name: concurrent").replace("the 500 limit", `limit ${i}`));
    const results = await Promise.all(texts.map((text) => apply(text)));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const created = results.filter((r) => r.status === 201).map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(created).toEqual(Array.from({ length: created.length }, (_, i) => i + 1));
    const policy = await t.db.policy.findFirstOrThrow({ where: { name: "concurrent" } });
    expect(policy.latestVersion).toBe(created.length);
  });
});
