// The decision point over real HTTP against both databases: allow / review / deny from the applied policy,
// an aggregate over earlier decisions, validation, the stored row before the answer, and tenancy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as decideRoute } from "@/app/api/v1/decisions/route";
import { GET as decisionRoute } from "@/app/api/v1/decisions/[id]/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { applyPolicy } from "@/lib/policies/policy-store";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { serveHandler } from "@/tests/helpers/serve-handler";

const POLICY = `
name: payments
rules:
  - id: big-refund
    match: { tool: issue_refund }
    condition: args.amount > 500.0
    outcome: deny
    severity: high
    risk: 0.9
    message: "refund of {{args.amount}} exceeds the 500 limit for {{agent}}"
  - id: many-refunds-today
    match: { tool: issue_refund }
    condition: count("agent", "1d") > 3
    outcome: review
    risk: 0.5
    message: "{{agent}} issued more than three refunds today"
  - id: weather
    match: { tool: get_weather }
    outcome: allow
`;

function handler(req: Request): Promise<Response> {
  const url = new URL(req.url).pathname;
  const m = url.match(/^\/api\/v1\/decisions\/([^/]+)$/);
  if (url === "/api/v1/decisions" && req.method === "POST") return decideRoute(req);
  if (m && req.method === "GET") return decisionRoute(req, { params: Promise.resolve({ id: decodeURIComponent(m[1]!) }) });
  return Promise.resolve(new Response("no route", { status: 404 }));
}

type Body = Record<string, unknown> & { error?: { message: string } };

describe.each(PROVIDERS)("decisions API on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  const keys = { ingest: "", read: "", emptyIngest: "", otherRead: "" };
  const call = async (key: string, method: string, url: string, body?: unknown, raw?: string) => {
    const res = await fetch(server.url + url, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const decide = (body: unknown, key = keys.ingest) => call(key, "POST", "/api/v1/decisions", body);
  const refund = (agent: string, amount: number) => decide({ agent, tool: "issue_refund", args: { amount }, user: "cust-1", session: "s1" });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    const shop = (await t.db.project.create({ data: { name: "shop" } })).id;
    const empty = (await t.db.project.create({ data: { name: "empty" } })).id;
    const other = (await t.db.project.create({ data: { name: "other" } })).id;
    keys.ingest = (await createApiKey(t.db, shop, "agents", ["ingest"])).key;
    keys.read = (await createApiKey(t.db, shop, "dashboard", ["read"])).key;
    keys.emptyIngest = (await createApiKey(t.db, empty, "agents", ["ingest", "read"])).key;
    keys.otherRead = (await createApiKey(t.db, other, "other", ["ingest", "read", "admin"])).key;
    await applyPolicy(t.db, { projectId: shop, source: POLICY, author: "test" });
    server = await serveHandler(handler);
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("no policy applied: allow, risk 0, reason 'no policy'", async () => {
    const res = await decide({ agent: "a", tool: "anything", args: {} }, keys.emptyIngest);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ decision: "allow", risk: 0, flags: [], policyVersion: null });
    expect(res.body.reasons).toEqual([{ policy: null, rule: null, outcome: "allow", severity: "info", message: "no policy" }]);
  });

  it("allow and deny from the applied policy, with the rule, severity and rendered message", async () => {
    const allowed = await decide({ agent: "weather-bot", tool: "get_weather", args: { city: "Berlin" } });
    expect(allowed.body).toMatchObject({ decision: "allow", risk: 0, policyVersion: "payments@1", reasons: [{ policy: "payments", rule: "weather", outcome: "allow" }] });
    const denied = await refund("support-9", 800);
    expect(denied.status).toBe(201);
    expect(denied.body).toMatchObject({ decision: "deny", risk: 0.9, policyVersion: "payments@1" });
    expect(denied.body.reasons).toEqual([{ policy: "payments", rule: "big-refund", outcome: "deny", severity: "high", message: "refund of 800 exceeds the 500 limit for support-9" }]);
  });

  it("more than three refunds today: the fourth of an agent goes to review, another agent's first does not", async () => {
    const first3 = [];
    for (let i = 0; i < 3; i++) first3.push((await refund("support-1", 10)).body.decision);
    expect(first3).toEqual(["allow", "allow", "allow"]);
    const fourth = await refund("support-1", 10);
    expect(fourth.body).toMatchObject({ decision: "review", risk: 0.5, reasons: [{ rule: "many-refunds-today", message: "support-1 issued more than three refunds today" }] });
    expect((await refund("support-2", 10)).body.decision).toBe("allow");
  });

  it("concurrent refunds of one agent are counted one after the other: exactly three allowed", async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => refund("support-3", 10)));
    const decisions = answers.map((a) => a.body.decision).sort();
    expect(decisions).toEqual(["allow", "allow", "allow", "review", "review", "review"]);
  });

  it("the decision is stored before it is answered: read back by id from the database and the API", async () => {
    const answer = await decide({ agent: "support-4", tool: "issue_refund", args: { amount: 20, note: "late delivery" }, user: "cust-7", model: "gpt-4o", context: { confidence: 0.9 } });
    const id = answer.body.id as string;
    const row = await t.db.decision.findUnique({ where: { id } });
    expect(row).toMatchObject({ agent: "support-4", tool: "issue_refund", user: "cust-7", model: "gpt-4o", decision: "allow" });
    expect(JSON.parse(row!.args)).toEqual({ amount: 20, note: "late delivery" });
    expect(JSON.parse(row!.policyVersions)).toEqual([expect.objectContaining({ name: "payments", version: 1 })]);
    const read = await call(keys.read, "GET", `/api/v1/decisions/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(answer.body);
  });

  it("validation errors are 400 with a readable message", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ agent: "a", args: {} }, /Invalid body: tool: /],
      [{ agent: "a", tool: "t", args: [1, 2] }, /args: /],
      [{ agent: "a", tool: "t" }, /args: /],
      [{ agent: "", tool: "t", args: {} }, /agent: /],
      [{ agent: "a", tool: "t", args: {}, context: { confidence: 2 } }, /context\.confidence: /],
      [{ agent: "a", tool: "t", args: {}, project: "other" }, /Unrecognized key.*project/],
      [{ agent: "a", tool: "t", args: { blob: "x".repeat(70_000) } }, /args: must be at most 64 KiB of JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await decide(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error!.message).toMatch(message);
    }
    const notJson = await call(keys.ingest, "POST", "/api/v1/decisions", undefined, "{nope");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error!.message).toBe("Request body is not valid JSON");
  });

  it("scopes and tenancy: ingest asks, read reads, another project's key cannot read the decision", async () => {
    const answer = await refund("support-5", 1);
    const id = answer.body.id as string;
    expect((await decide({ agent: "a", tool: "t", args: {} }, keys.read)).status).toBe(403);
    expect((await call(keys.ingest, "GET", `/api/v1/decisions/${id}`)).status).toBe(403);
    const foreign = await call(keys.otherRead, "GET", `/api/v1/decisions/${id}`);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain("support-5");
    expect((await call(keys.read, "GET", "/api/v1/decisions/nope")).status).toBe(404);
    expect((await call("argus_not-a-key", "GET", `/api/v1/decisions/${id}`)).status).toBe(401);
  });
});
