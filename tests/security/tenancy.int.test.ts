// Tenancy: an API key of project A, or a signed-in user who is a member of A only, can read or change
// nothing of project B through any route. Routes are discovered from app/**/route.ts: a new route (or a new
// method) without a case below fails the test. Every call goes over HTTP to the production server
// (`next start`), with B's ids in the path, and also with `?project=<B>` and the argus_project cookie set to B.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { discoverRoutes, fillPattern, loadHandlers, paramNames, type Method } from "./routes";

interface Seed {
  projectId: string;
  name: string;
  key: string;
  keyId: string;
  traceId: string;
  spanId: string;
  anomalyId: string;
  alertId: string;
  channelId: string;
  deliveryId: string;
}

interface Case {
  /** Path parameters (B's ids for id routes). */
  params?: (b: Seed) => Record<string, string>;
  query?: (b: Seed) => string;
  body?: (b: Seed) => unknown;
  /** The request names one of B's objects: it must be refused (4xx), whoever asks. */
  targetsB?: boolean;
  /** Public or account-level routes that legitimately ignore ?project= (no project data in the answer). */
  projectAgnostic?: boolean;
}

const MEMBER = { email: "member-a@argus.test", password: "member-password-1" };
const otlpBody = (b: Seed) => jsonRequest([{ traceId: b.traceId, spanId: b.spanId, name: "overwrite-attempt", startNs: 1n, endNs: 2n }]);

export const CASES: Record<string, Partial<Record<Method, Case>>> = {
  "/api/auth/login": { POST: { body: () => MEMBER, projectAgnostic: true } },
  "/api/auth/logout": { POST: { projectAgnostic: true } },
  "/api/auth/session": { GET: {} },
  "/api/auth/setup": { GET: { projectAgnostic: true }, POST: { body: () => ({ email: "intruder@argus.test", password: "long-enough-1" }), projectAgnostic: true } },
  "/api/health": { GET: { projectAgnostic: true } },
  "/api/public/otel/v1/logs": { POST: { body: () => ({}), projectAgnostic: true } },
  "/api/public/otel/v1/metrics": { POST: { body: () => ({}), projectAgnostic: true } },
  "/api/public/otel/v1/traces": { POST: { body: otlpBody, projectAgnostic: true } },
  "/v1/logs": { POST: { body: () => ({}), projectAgnostic: true } },
  "/v1/metrics": { POST: { body: () => ({}), projectAgnostic: true } },
  "/v1/traces": { POST: { body: otlpBody, projectAgnostic: true } },
  "/api/v1/agents": { GET: { query: () => "range=30d" } },
  "/api/v1/agents/steps": { GET: { query: () => "agent=agent-b-secret&step=search_web" } },
  "/api/v1/agents/transitions": { GET: { query: () => "agent=agent-b-secret" } },
  "/api/v1/alerts": { GET: { query: () => "status=open,acknowledged,resolved" } },
  "/api/v1/alerts/[id]": { GET: { params: (b) => ({ id: b.alertId }), targetsB: true } },
  "/api/v1/alerts/[id]/ack": { POST: { params: (b) => ({ id: b.alertId }), targetsB: true } },
  "/api/v1/alerts/[id]/resolve": { POST: { params: (b) => ({ id: b.alertId }), targetsB: true } },
  "/api/v1/anomalies": { GET: { query: () => "since=0" } },
  "/api/v1/anomalies/[id]/feedback": { POST: { params: (b) => ({ id: b.anomalyId }), body: () => ({ feedback: "expected" }), targetsB: true } },
  "/api/v1/channels": { GET: {}, POST: { body: () => ({ type: "webhook", name: "a-channel", url: "https://a.example/hook" }) } },
  "/api/v1/channels/[id]": {
    PATCH: { params: (b) => ({ id: b.channelId }), body: () => ({ name: "pwned", url: "https://evil.example/x", enabled: false }), targetsB: true },
    DELETE: { params: (b) => ({ id: b.channelId }), targetsB: true },
  },
  "/api/v1/channels/[id]/test": { POST: { params: (b) => ({ id: b.channelId }), targetsB: true } },
  "/api/v1/deliveries/[id]/retry": { POST: { params: (b) => ({ id: b.deliveryId }), targetsB: true } },
  "/api/v1/facets": { GET: { query: () => "days=90" } },
  "/api/v1/keys": { GET: {}, POST: { body: () => ({ name: "a-key" }) } },
  "/api/v1/keys/[keyId]": { DELETE: { params: (b) => ({ keyId: b.keyId }), targetsB: true } },
  "/api/v1/overview": { GET: { query: () => "range=30d" } },
  "/api/v1/projects": { GET: {}, POST: { body: () => ({ name: "created-by-member" }) } },
  "/api/v1/projects/[projectId]": { PATCH: { params: (b) => ({ projectId: b.projectId }), body: () => ({ name: "pwned", retentionDays: 1 }), targetsB: true } },
  "/api/v1/status": { GET: {} },
  "/api/v1/traces": { GET: { query: () => "limit=200" } },
  "/api/v1/traces/[traceId]": { GET: { params: (b) => ({ traceId: b.traceId }), targetsB: true } },
};

type Principal = "apiKeyA" | "memberA" | "anonymous";
type Variant = "plain" | "queryProjectB" | "queryProjectNameB" | "cookieProjectB";
const PRINCIPALS: Principal[] = ["apiKeyA", "memberA", "anonymous"];
const VARIANTS: Variant[] = ["plain", "queryProjectB", "queryProjectNameB", "cookieProjectB"];

describe("route table", () => {
  it("every route and method under app/ has a tenancy case, and every id route targets B", async () => {
    const missing: string[] = [];
    const routes = discoverRoutes();
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/api/v1/traces", "/v1/traces"]));
    for (const route of routes) {
      const handlers = await loadHandlers(route);
      expect(Object.keys(handlers).length, `${route.file} exports no HTTP method`).toBeGreaterThan(0);
      for (const method of Object.keys(handlers) as Method[]) if (!CASES[route.pattern]?.[method]) missing.push(`${method} ${route.pattern}`);
    }
    expect(missing, "add a case to CASES for each new route/method").toEqual([]);
    const stale = Object.keys(CASES).filter((p) => !routes.some((r) => r.pattern === p));
    expect(stale, "cases for routes that no longer exist").toEqual([]);
    for (const p of Object.keys(CASES).filter((p) => paramNames(p).length > 0)) {
      for (const c of Object.values(CASES[p]!)) expect(c.targetsB, `${p} takes an id: its case must target B`).toBe(true);
    }
  });
});

describe.each(PROVIDERS)("tenancy over HTTP on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  let a: Seed;
  let b: Seed;
  let memberId: string;
  let secretsOfB: string[];
  let before: unknown;

  async function ingest(key: string, body: unknown): Promise<void> {
    const res = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  async function seedProject(name: string, marker: string): Promise<Seed> {
    const project = await t.db.project.create({ data: { name } });
    const { key, id: keyId } = await createApiKey(t.db, project.id, `${marker}-key`);
    const trace = agentTrace(hex(16), BigInt(Date.now() - 3600_000) * 1_000_000n);
    trace[0]!.attributes = { ...trace[0]!.attributes, "gen_ai.agent.name": `agent-${marker}` };
    await ingest(key, jsonRequest(trace, { "service.name": `svc-${marker}` }));
    const traceId = trace[0]!.traceId;
    const now = new Date();
    const alert = await t.db.alert.create({
      data: {
        projectId: project.id, fingerprint: `fp-${marker}`, activeKey: `${project.id}:fp`, detector: "latency", entity: `svc-${marker}/agent-${marker}`,
        title: `alert-${marker}`, explanation: `explanation-${marker}`, severity: "high", count: 1, firstSeenAt: now, lastSeenAt: now, lastTraceId: traceId,
      },
    });
    const anomaly = await t.db.anomaly.create({
      data: {
        projectId: project.id, traceId, spanId: trace[1]!.spanId, detector: "latency", metric: "duration_ms", entity: `svc-${marker}/agent-${marker}`,
        observed: 9000, expected: 1000, score: 0.99, severity: "high", explanation: `anomaly-${marker}`, fingerprint: `fp-${marker}`,
        dedupKey: `dedup-${marker}`, alertId: alert.id,
      },
    });
    const channel = await t.db.notificationChannel.create({
      data: { projectId: project.id, type: "webhook", name: `channel-${marker}`, url: `https://hooks.example/${marker}-url-path`, secret: `whsec_${marker}_0123456789` },
    });
    const delivery = await t.db.alertDelivery.create({
      data: {
        projectId: project.id, alertId: alert.id, channelId: channel.id, reason: "opened", payload: { marker }, status: "failed", attempts: 8,
        lastError: `error-${marker}`, idempotencyKey: `idem-${marker}`,
      },
    });
    return { projectId: project.id, name, key, keyId, traceId, spanId: trace[1]!.spanId, anomalyId: anomaly.id, alertId: alert.id, channelId: channel.id, deliveryId: delivery.id };
  }

  const snapshotB = async () => ({
    project: await t.db.project.findUnique({ where: { id: b.projectId } }),
    keys: await t.db.apiKey.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
    traces: await t.db.trace.findMany({ where: { projectId: b.projectId }, orderBy: { traceId: "asc" } }),
    spans: await t.db.span.findMany({ where: { projectId: b.projectId }, orderBy: { seq: "asc" } }),
    alerts: await t.db.alert.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
    anomalies: await t.db.anomaly.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
    channels: await t.db.notificationChannel.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
    deliveries: await t.db.alertDelivery.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
    memberships: await t.db.membership.findMany({ where: { projectId: b.projectId } }),
  });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_WORKERS: "none" } });
    // An admin exists, so /api/auth/setup is closed; the member is an ordinary user of A only.
    await t.db.user.create({ data: { email: "root@argus.test", passwordHash: await hashPassword("root-password-1"), isAdmin: true } });
    a = await seedProject("tenant-a", "a-visible");
    b = await seedProject("tenant-b-secret", "b-secret");
    const member = await t.db.user.create({ data: { email: MEMBER.email, passwordHash: await hashPassword(MEMBER.password), isAdmin: false } });
    memberId = member.id;
    await t.db.membership.create({ data: { userId: member.id, projectId: a.projectId, role: "admin" } });
    secretsOfB = [
      b.projectId, b.key, b.keyId, b.traceId, b.spanId, b.anomalyId, b.alertId, b.channelId, b.deliveryId,
      "tenant-b-secret", "agent-b-secret", "svc-b-secret", "alert-b-secret", "anomaly-b-secret", "channel-b-secret", "b-secret-url-path",
      "whsec_b-secret", "error-b-secret", "explanation-b-secret", "idem-b-secret", "b-secret-key", b.key.slice(0, 12),
    ];
    before = await snapshotB();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  async function call(principal: Principal, variant: Variant, method: Method, pattern: string, c: Case) {
    const params = c.params?.(b) ?? {};
    const project = variant === "queryProjectB" ? `project=${b.projectId}` : variant === "queryProjectNameB" ? `project=${encodeURIComponent(b.name)}` : undefined;
    const query = [c.query?.(b), project].filter(Boolean).join("&");
    const path = `${fillPattern(pattern, params)}${query ? `?${query}` : ""}`;
    const headers = new Headers({ "content-type": "application/json" });
    const cookies: string[] = variant === "cookieProjectB" ? [`argus_project=${b.projectId}`] : [];
    if (principal === "apiKeyA") headers.set("authorization", `Bearer ${a.key}`);
    else if (principal === "memberA") {
      // A fresh session per call, so a sign-out case does not end the session of later ones.
      const session = await createSession(t.db, memberId, new Date());
      cookies.push(`argus_session=${session.token}`, `argus_csrf=${session.csrfToken}`);
      headers.set("x-csrf-token", session.csrfToken);
    }
    if (cookies.length) headers.set("cookie", cookies.join("; "));
    const body = method === "GET" || method === "HEAD" ? undefined : JSON.stringify(c.body?.(b) ?? {});
    const res = await fetch(`${server.url}${path}`, { method, headers, body, redirect: "manual" });
    return { path, status: res.status, text: await res.text() };
  }

  it("no caller of project A reads or changes anything of project B, through any route", async () => {
    const problems: string[] = [];
    let calls = 0;
    // OTLP writes with B's trace id come last: they create A's own trace with that id, which A may then read.
    const isIngest = (pattern: string) => /\/v1\/(traces|logs|metrics)$/.test(pattern) && !pattern.startsWith("/api/v1/");
    const routes = discoverRoutes().sort((x, y) => Number(isIngest(x.pattern)) - Number(isIngest(y.pattern)));
    for (const route of routes) {
      const methods = Object.keys(await loadHandlers(route)) as Method[];
      for (const method of methods) {
        const c = CASES[route.pattern]?.[method];
        if (!c) continue;
        for (const principal of PRINCIPALS) {
          for (const variant of VARIANTS) {
            const { path, status, text } = await call(principal, variant, method, route.pattern, c);
            calls += 1;
            const label = `${principal} ${variant} ${method} ${path} → ${status}`;
            if (status >= 500) problems.push(`${label}: server error ${text.slice(0, 200)}`);
            if (c.targetsB && status < 400) problems.push(`${label}: B's object was not refused`);
            const refusals = principal === "anonymous" ? [401] : [403, 404];
            if (c.targetsB && status >= 400 && !refusals.includes(status)) problems.push(`${label}: expected ${refusals.join(" or ")}`);
            if (principal === "anonymous" && !c.projectAgnostic && status !== 401) problems.push(`${label}: anonymous call not refused with 401`);
            const asksForB = variant === "queryProjectB" || variant === "queryProjectNameB";
            if (principal === "memberA" && asksForB && !c.projectAgnostic && status < 400) problems.push(`${label}: ?project=<B> was not refused for a non-member`);
            // A response may echo what the caller sent (an id or name in the path or query); nothing else of B may appear.
            const leaked = secretsOfB.filter((s) => text.includes(s) && !decodeURIComponent(path).includes(s));
            if (leaked.length) problems.push(`${label}: response contains B's ${leaked.join(", ")}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(200);
    expect(await snapshotB()).toEqual(before);
    expect(server.exitCode()).toBeNull();
  }, 300_000);

  it("controls: the same callers do see their own project's data", async () => {
    for (const principal of ["apiKeyA", "memberA"] as const) {
      const list = await call(principal, "plain", "GET", "/api/v1/traces", CASES["/api/v1/traces"]!.GET!);
      expect(list.status).toBe(200);
      expect(list.text).toContain(a.traceId);
      const one = await call(principal, "plain", "GET", "/api/v1/alerts/[id]", { params: () => ({ id: a.alertId }) });
      expect(one.status).toBe(200);
      expect(one.text).toContain("alert-a-visible");
      const trace = await call(principal, "plain", "GET", "/api/v1/traces/[traceId]", { params: () => ({ traceId: a.traceId }) });
      expect(trace.status).toBe(200);
    }
    // Naming B's agent gives exactly what naming an agent that exists nowhere gives: no data of B.
    for (const principal of ["apiKeyA", "memberA"] as const) {
      for (const pattern of ["/api/v1/agents/steps", "/api/v1/agents/transitions"]) {
        const ofB = await call(principal, "plain", "GET", pattern, CASES[pattern]!.GET!);
        const ofNobody = await call(principal, "plain", "GET", pattern, { query: () => CASES[pattern]!.GET!.query!(b).replace("agent-b-secret", "agent-nobody-xyz") });
        expect(ofB.status).toBe(200);
        expect(ofB.text.replaceAll("agent-b-secret", "agent-nobody-xyz")).toBe(ofNobody.text);
      }
    }
    // And the member signs in through the real login route.
    const login = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(MEMBER) });
    expect(login.status).toBe(200);
  });
});
