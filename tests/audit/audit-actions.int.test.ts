// The audit trail over real HTTP on both databases: the audited routes write an entry each (who, what, from
// where) in the same transaction as their action, GET /api/v1/audit filters and pages them for admins only,
// concurrent appends keep one valid chain, and an action whose transaction fails leaves no entry.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ackRoute } from "@/app/api/v1/alerts/[id]/ack/route";
import { GET as auditRoute } from "@/app/api/v1/audit/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { POST as decideRoute } from "@/app/api/v1/decisions/route";
import { POST as keysRoute } from "@/app/api/v1/keys/route";
import { POST as policiesRoute } from "@/app/api/v1/policies/route";
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { appendAudit, recordAudit, verifyStoredChain } from "@/lib/audit/audit-store";
import { flushSeals, sealPending } from "@/lib/audit/seal-audit";
import { createApiKey } from "@/lib/auth/api-keys";
import { createUser } from "@/lib/auth/users";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { serveHandler } from "@/tests/helpers/serve-handler";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

const POLICY = "name: payments\nrules:\n  - { id: big-refund, match: { tool: issue_refund }, condition: 'args.amount > 500.0', outcome: deny, risk: 0.9 }\n";

function handler(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const ack = pathname.match(/^\/api\/v1\/alerts\/([^/]+)\/ack$/);
  if (pathname === "/api/v1/keys" && req.method === "POST") return keysRoute(req);
  if (pathname === "/api/v1/policies" && req.method === "POST") return policiesRoute(req);
  if (pathname === "/api/v1/decisions" && req.method === "POST") return decideRoute(req);
  if (pathname === "/api/auth/login" && req.method === "POST") return loginRoute(req);
  if (pathname === "/api/v1/audit" && req.method === "GET") return auditRoute(req);
  if (ack && req.method === "POST") return ackRoute(req, { params: Promise.resolve({ id: ack[1]! }) });
  return Promise.resolve(new Response("no route", { status: 404 }));
}

interface Entry {
  seq: number;
  action: string;
  actor: { type: string; id: string | null; name: string | null };
  target: { type: string; id: string } | null;
  projectId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}
type AuditPage = { entries: Entry[]; nextCursor: string | null; error?: { message: string } };

describe.each(PROVIDERS)("audit trail of the API on %s", { timeout: 60_000 }, (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let projectId: string;
  let otherProjectId: string;
  const keys = { admin: "", ingest: "", read: "", otherAdmin: "" };
  let adminKeyId = "";

  const call = async (path: string, init: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(server.url + path, {
      method: init.method ?? "GET",
      headers: { "content-type": "application/json", "user-agent": "audit-test/1.0", [CLIENT_ADDRESS_HEADER]: "203.0.113.7", ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const audit = async (query: string, key = keys.admin) => (await call(`/api/v1/audit${query}`, { key })) as { status: number; body: AuditPage };

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    projectId = (await t.db.project.create({ data: { name: "shop" } })).id;
    otherProjectId = (await t.db.project.create({ data: { name: "elsewhere" } })).id;
    const admin = await createApiKey(t.db, projectId, "ops", ["read", "admin"]);
    keys.admin = admin.key;
    adminKeyId = admin.id;
    keys.ingest = (await createApiKey(t.db, projectId, "agents", ["ingest"])).key;
    keys.read = (await createApiKey(t.db, projectId, "viewer", ["read"])).key;
    keys.otherAdmin = (await createApiKey(t.db, otherProjectId, "other-ops", ["admin"])).key;
    await createUser(t.db, { email: "alice@example.com", password: "correct-horse-battery", project: { id: projectId, role: "owner" } });
    server = await serveHandler(handler);
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("records key creation, policy apply, a decision, an alert acknowledgement and sign-ins with who and from where", async () => {
    const created = await call("/api/v1/keys", { method: "POST", key: keys.admin, body: { name: "ci", scopes: ["ingest"] } });
    expect(created.status).toBe(201);
    expect((await call("/api/v1/policies", { method: "POST", key: keys.admin, body: { source: POLICY } })).status).toBe(201);
    const decision = await call("/api/v1/decisions", { method: "POST", key: keys.ingest, body: { agent: "support-1", tool: "issue_refund", args: { amount: 900 } } });
    expect(decision.body.decision).toBe("deny");
    const alert = await t.db.alert.create({
      data: { projectId, fingerprint: "fp", detector: "latency", entity: "svc/agent", title: "Slow agent", explanation: "x", severity: "high", firstSeenAt: new Date(), lastSeenAt: new Date() },
    });
    expect((await call(`/api/v1/alerts/${alert.id}/ack`, { method: "POST", key: keys.admin })).status).toBe(200);
    expect((await call("/api/auth/login", { method: "POST", body: { email: "alice@example.com", password: "wrong-guess" } })).status).toBe(401);
    expect((await call("/api/auth/login", { method: "POST", body: { email: "alice@example.com", password: "correct-horse-battery" } })).status).toBe(200);

    const all = await t.db.auditEntry.findMany({ orderBy: [{ at: "asc" }, { id: "asc" }] });
    const byAction = new Map(all.map((row) => [row.action, row]));
    const adminActor = { actorType: "apiKey", actorId: adminKeyId, actorName: expect.stringMatching(/^argus_\w{6}… \(ops\)$/) };
    const fromTest = { ip: "203.0.113.7", userAgent: "audit-test/1.0" };
    expect(byAction.get("key.create")).toMatchObject({ ...adminActor, ...fromTest, targetType: "apiKey", targetId: created.body.id, projectId });
    expect(JSON.parse(byAction.get("key.create")!.details)).toMatchObject({ name: "ci", scopes: "ingest" });
    expect(byAction.get("policy.apply")).toMatchObject({ ...adminActor, ...fromTest, targetType: "policy", projectId });
    expect(JSON.parse(byAction.get("policy.apply")!.details)).toMatchObject({ name: "payments", version: 1, ruleCount: 1 });
    expect(byAction.get("decision.create")).toMatchObject({ actorType: "apiKey", actorName: expect.stringContaining("(agents)"), targetType: "decision", targetId: decision.body.id, projectId });
    expect(JSON.parse(byAction.get("decision.create")!.details)).toMatchObject({ agent: "support-1", tool: "issue_refund", decision: "deny", risk: 0.9, rules: ["payments/big-refund"] });
    expect(byAction.get("alert.acknowledge")).toMatchObject({ ...adminActor, targetType: "alert", targetId: alert.id, projectId });
    expect(byAction.get("auth.sign_in_failed")).toMatchObject({ actorType: "anonymous", actorName: "alice@example.com", ...fromTest, projectId: null });
    expect(JSON.parse(byAction.get("auth.sign_in_failed")!.details)).toEqual({ method: "password", reason: "wrong_password" });
    expect(byAction.get("auth.sign_in")).toMatchObject({ actorType: "user", actorName: "alice@example.com", ...fromTest, targetType: "session" });
    // The keys made in beforeAll are in the trail too, as the system's.
    expect(all.filter((row) => row.action === "key.create" && row.actorType === "system")).toHaveLength(4);
    expect(await verifyStoredChain(t.db, provider)).toMatchObject({ ok: true, count: all.length });
  });

  it("GET /api/v1/audit: newest first, filters by action, group, actor and time, pages with a cursor", async () => {
    const newest = await audit("?limit=2");
    expect(newest.status).toBe(200);
    // Sign-ins (the newest entries) belong to no project: a project's admin key does not see them.
    expect(newest.body.entries.map((e) => e.action)).toEqual(["alert.acknowledge", "decision.create"]);
    expect(newest.body.entries[0]).toMatchObject({ actor: { type: "apiKey", id: adminKeyId }, target: { type: "alert" }, projectId, ip: "203.0.113.7", userAgent: "audit-test/1.0" });

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: AuditPage } = await audit(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.entries.map((e) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen.length).toBe(await t.db.auditEntry.count({ where: { projectId } }));

    expect((await audit("?action=key.create")).body.entries.map((e) => e.details.name).sort()).toEqual(["agents", "ci", "ops", "viewer"]);
    expect((await audit("?action=alert.*")).body.entries.map((e) => e.action)).toEqual(["alert.acknowledge"]);
    expect((await audit(`?actor=${adminKeyId}`)).body.entries.map((e) => e.action).sort()).toEqual(["alert.acknowledge", "key.create", "policy.apply"]);
    expect((await audit(`?since=${Date.now() + 60_000}`)).body.entries).toEqual([]);
    expect((await audit("?until=2000-01-01")).body.entries).toEqual([]);
  });

  it("answers only admins of the project, and each project's admins only its entries", async () => {
    expect((await audit("", keys.read)).status).toBe(403);
    expect((await audit("", keys.ingest)).status).toBe(403);
    expect((await audit("", keys.otherAdmin)).body.entries.map((e) => e.action)).toEqual(["key.create"]);
    expect((await call("/api/v1/audit")).status).toBe(401);
  });

  it.each([
    ["an unknown action", "?action=key.delete", /action: must be an action/],
    ["an unknown group", "?action=nope.*", /action: must be an action/],
    ["a bad time", "?since=yesterday", /since: must be an ISO 8601 time/],
    ["a tampered cursor", "?cursor=bm9wZQ", /Invalid cursor/],
    ["an unknown parameter", "?project=x", /project/],
  ])("refuses %s with a 400 that says what to send", async (_name, query, message) => {
    const res = await audit(query);
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(message);
  });

  // Separate processes, as the web and worker processes are: on SQLite, two connections in one process would
  // block each other's event loop in better-sqlite3's busy wait. Load-sensitive (four processes): on a machine
  // saturated by other suites a child's transaction can miss Prisma's 2 s start limit; run this file alone then.
  it("keeps one valid chain under concurrent recording and sealing from three processes and this one", async () => {
    await sealPending(t.db);
    const before = Number((await t.db.auditChain.findUniqueOrThrow({ where: { id: 1 } })).seq);
    const child = () => run(process.execPath, ["--import", "tsx", path.join(root, "tests/audit/append-child.ts"), "15", projectId], { cwd: root, env: { ...process.env, DATABASE_URL: t.databaseUrl } });
    const here = Promise.all(Array.from({ length: 15 }, (_, i) => recordAudit(t.db, SYSTEM_CONTEXT, { action: "anomaly.feedback", projectId, details: { i } })));
    // (Prisma's SQLite client runs one transaction at a time; the pg pool runs up to its size side by side.)
    const [children, mine] = await Promise.all([Promise.all([child(), child(), child()]), here]);
    await flushSeals();
    const ids = [...children.flatMap(({ stdout }) => JSON.parse(stdout) as string[]), ...mine];
    const rows = await t.db.auditEntry.findMany({ where: { id: { in: ids } }, select: { seq: true } });
    // Every entry sealed by one of the four processes, each seq given once, no gap.
    expect(rows.map((r) => Number(r.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => before + 1 + i));
    expect(await verifyStoredChain(t.db, provider)).toMatchObject({ ok: true, lastSeq: before + 60, unsealed: 0 });
  });

  it("an action whose transaction fails leaves no entry, and the chain stays whole", async () => {
    const before = await t.db.auditChain.findUniqueOrThrow({ where: { id: 1 } });
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.apiKey.create({ data: { projectId, name: "doomed", prefix: "argus_doomed", hash: "doomed-hash", scopes: "ingest" } });
        await appendAudit(tx, SYSTEM_CONTEXT, { action: "key.create", projectId });
        throw new Error("the action fails after its entry was written");
      }),
    ).rejects.toThrow(/fails after/);
    expect(await t.db.apiKey.count({ where: { name: "doomed" } })).toBe(0);
    expect(await t.db.auditChain.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ seq: before.seq, hash: before.hash });
    expect((await verifyStoredChain(t.db, provider)).ok).toBe(true);
  });
});
