// Tenancy and least privilege, over HTTP against the production server, on both databases. Routes are
// discovered from app/**/route.ts: a new route (or method) without a case below fails the test.
// 1. Scopes and roles: every route × every kind of caller of project A (API keys with each scope, users
//    with each role, anonymous) → allowed or refused, as the case's `need` says (lib/auth/permissions.ts).
// 2. Isolation: the most powerful callers of A (a key with every scope, an owner) read and change nothing
//    of project B, with B's ids in the path, `?project=<B>` and the argus_project cookie set to B.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { hashPassword } from "@/lib/auth/password";
import type { Role, Scope } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import { applyPolicy } from "@/lib/policies/policy-store";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { discoverRoutes, fillPattern, loadHandlers, paramNames, type Method } from "./routes";

interface Seed {
  projectId: string;
  name: string;
  key: string;
  keyId: string;
  /** A key, a channel and a member that destructive calls may remove (the scope matrix targets A's own objects). */
  disposableKeyId: string;
  disposableChannelId: string;
  bystanderId: string;
  traceId: string;
  spanId: string;
  anomalyId: string;
  alertId: string;
  channelId: string;
  deliveryId: string;
  inviteId: string;
  sessionId: string;
  /** The conversation (session.id) and end user (user.id) the project's trace belongs to. */
  conversationId: string;
  policyName: string;
  decisionId: string;
}

/** What a route needs: "none" is public; the others as in lib/http/route.ts. */
type Need = "none" | "session" | "instanceAdmin" | "ingest" | "read" | "triage" | "manage";

interface Case {
  need: Need;
  /** Path parameters, for the project given (A in the scope matrix, B in the isolation test). */
  params?: (s: Seed) => Record<string, string>;
  query?: (s: Seed) => string;
  body?: (s: Seed) => unknown;
  /** The path names an object: in the isolation test, B's object must be refused (4xx), whoever asks. */
  targetsB?: boolean;
  /** Public or account-level routes that legitimately ignore ?project= (no project data in the answer). */
  projectAgnostic?: boolean;
}

const MEMBER_PASSWORD = "member-password-1";
const otlpBody = (s: Seed) => jsonRequest([{ traceId: s.traceId, spanId: s.spanId, name: "overwrite-attempt", startNs: 1n, endNs: 2n }]);

export const CASES: Record<string, Partial<Record<Method, Case>>> = {
  "/api/auth/login": { POST: { need: "none", body: () => ({ email: "owner-a@argus.test", password: MEMBER_PASSWORD }), projectAgnostic: true } },
  "/api/auth/logout": { POST: { need: "session", projectAgnostic: true } },
  "/api/auth/session": { GET: { need: "session" } },
  "/api/auth/sessions": { GET: { need: "session", projectAgnostic: true } },
  "/api/auth/sessions/[id]": { DELETE: { need: "session", params: (s) => ({ id: s.sessionId }), targetsB: true, projectAgnostic: true } },
  "/api/auth/password": { POST: { need: "session", body: () => ({ currentPassword: "wrong-password", newPassword: "another-password-2" }), projectAgnostic: true } },
  "/api/auth/oidc/start": { GET: { need: "none", projectAgnostic: true } },
  "/api/auth/oidc/callback": { GET: { need: "none", projectAgnostic: true } },
  "/api/auth/setup": { GET: { need: "none", projectAgnostic: true }, POST: { need: "none", body: () => ({ email: "intruder@argus.test", password: "long-enough-1" }), projectAgnostic: true } },
  "/api/invites/[token]": { GET: { need: "none", params: (s) => ({ token: s.inviteId }), targetsB: true, projectAgnostic: true } },
  "/api/invites/[token]/accept": { POST: { need: "none", params: (s) => ({ token: s.inviteId }), body: () => ({ password: "long-enough-1" }), targetsB: true, projectAgnostic: true } },
  "/api/health": { GET: { need: "none", projectAgnostic: true } },
  "/api/public/otel/v1/logs": { POST: { need: "ingest", body: () => ({}), projectAgnostic: true } },
  "/api/public/otel/v1/metrics": { POST: { need: "ingest", body: () => ({}), projectAgnostic: true } },
  "/api/public/otel/v1/traces": { POST: { need: "ingest", body: otlpBody, projectAgnostic: true } },
  "/v1/logs": { POST: { need: "ingest", body: () => ({}), projectAgnostic: true } },
  "/v1/metrics": { POST: { need: "ingest", body: () => ({}), projectAgnostic: true } },
  "/v1/traces": { POST: { need: "ingest", body: otlpBody, projectAgnostic: true } },
  "/api/v1/agents": { GET: { need: "read", query: () => "range=30d" } },
  "/api/v1/agents/steps": { GET: { need: "read", query: () => "agent=agent-b-secret&step=search_web" } },
  "/api/v1/agents/transitions": { GET: { need: "read", query: () => "agent=agent-b-secret" } },
  "/api/v1/alerts": { GET: { need: "read", query: () => "status=open,acknowledged,resolved" } },
  "/api/v1/audit": { GET: { need: "manage", query: () => "limit=500" } },
  "/api/v1/alerts/[id]": { GET: { need: "read", params: (s) => ({ id: s.alertId }), targetsB: true } },
  "/api/v1/alerts/[id]/ack": { POST: { need: "triage", params: (s) => ({ id: s.alertId }), targetsB: true } },
  "/api/v1/alerts/[id]/resolve": { POST: { need: "triage", params: (s) => ({ id: s.alertId }), targetsB: true } },
  "/api/v1/anomalies": { GET: { need: "read", query: () => "since=0" } },
  "/api/v1/anomalies/[id]/feedback": { POST: { need: "triage", params: (s) => ({ id: s.anomalyId }), body: () => ({ feedback: "expected" }), targetsB: true } },
  "/api/v1/channels": { GET: { need: "read" }, POST: { need: "manage", body: () => ({ type: "webhook", name: "a-channel", url: "https://a.example/hook" }) } },
  "/api/v1/channels/[id]": {
    PATCH: { need: "manage", params: (s) => ({ id: s.channelId }), body: () => ({ name: "pwned", url: "https://evil.example/x", enabled: false }), targetsB: true },
    DELETE: { need: "manage", params: (s) => ({ id: s.disposableChannelId }), targetsB: true },
  },
  "/api/v1/channels/[id]/test": { POST: { need: "manage", params: (s) => ({ id: s.channelId }), targetsB: true } },
  "/api/v1/decisions": { POST: { need: "ingest", body: () => ({ agent: "agent-of-caller", tool: "issue_refund", args: { amount: 1 } }) } },
  "/api/v1/decisions/[id]": { GET: { need: "read", params: (s) => ({ id: s.decisionId }), targetsB: true } },
  "/api/v1/deliveries/[id]/retry": { POST: { need: "triage", params: (s) => ({ id: s.deliveryId }), targetsB: true } },
  "/api/v1/facets": { GET: { need: "read", query: () => "days=90" } },
  "/api/v1/invites": { GET: { need: "manage" }, POST: { need: "manage", body: () => ({ role: "viewer" }) } },
  "/api/v1/invites/[id]": { DELETE: { need: "manage", params: (s) => ({ id: s.inviteId }), targetsB: true } },
  "/api/v1/keys": { GET: { need: "manage" }, POST: { need: "manage", body: () => ({ name: "a-key" }) } },
  "/api/v1/keys/[keyId]": { DELETE: { need: "manage", params: (s) => ({ keyId: s.disposableKeyId }), targetsB: true } },
  "/api/v1/members": { GET: { need: "read" } },
  "/api/v1/members/[userId]": {
    PATCH: { need: "manage", params: (s) => ({ userId: s.bystanderId }), body: () => ({ role: "member" }), targetsB: true },
    DELETE: { need: "manage", params: (s) => ({ userId: s.bystanderId }), targetsB: true },
  },
  "/api/v1/overview": { GET: { need: "read", query: () => "range=30d" } },
  "/api/v1/policies": { GET: { need: "read" }, POST: { need: "manage", body: () => ({ source: "name: applied-by-caller\nrules:\n  - { id: r1, outcome: allow }\n" }) } },
  "/api/v1/policies/[name]/versions": { GET: { need: "read", params: (s) => ({ name: s.policyName }), targetsB: true } },
  "/api/v1/policies/[name]/versions/[version]": {
    GET: { need: "read", params: (s) => ({ name: s.policyName, version: "1" }), query: () => "compare=previous", targetsB: true },
  },
  "/api/v1/projects": { GET: { need: "read" }, POST: { need: "instanceAdmin", body: () => ({ name: "created-by-member" }), projectAgnostic: true } },
  "/api/v1/projects/[projectId]": { PATCH: { need: "manage", params: (s) => ({ projectId: s.projectId }), body: () => ({ name: "pwned", retentionDays: 1 }), targetsB: true } },
  "/api/v1/sessions": { GET: { need: "read", query: () => "range=30d" } },
  "/api/v1/sessions/[sessionId]": { GET: { need: "read", params: (s) => ({ sessionId: s.conversationId }), targetsB: true } },
  "/api/v1/spans": { GET: { need: "read", query: () => "from=0&limit=5000" } },
  "/api/v1/status": { GET: { need: "read" } },
  "/api/v1/traces": { GET: { need: "read", query: () => "limit=200" } },
  "/api/v1/traces/[traceId]": { GET: { need: "read", params: (s) => ({ traceId: s.traceId }), targetsB: true } },
  "/api/v1/users": { GET: { need: "read", query: () => "range=30d" } },
};

type Caller = { kind: "key"; scopes: Scope[] } | { kind: "user"; role: Role } | { kind: "anonymous" };
const CALLERS: Record<string, Caller> = {
  "ingest key": { kind: "key", scopes: ["ingest"] },
  "read key": { kind: "key", scopes: ["read"] },
  "admin key": { kind: "key", scopes: ["admin"] },
  viewer: { kind: "user", role: "viewer" },
  member: { kind: "user", role: "member" },
  owner: { kind: "user", role: "owner" },
  anonymous: { kind: "anonymous" },
};

/** The expected answer class of `caller` on a route that needs `need`: allowed, 403 or 401. */
function expectedVerdict(need: Need, caller: Caller): "allowed" | 401 | 403 | "any" {
  if (need === "none") return "any";
  if (caller.kind === "anonymous") return 401;
  if (need === "session") return caller.kind === "user" ? "allowed" : 403;
  if (need === "instanceAdmin") return 403;
  if (caller.kind === "key") {
    const scope: Scope = need === "ingest" ? "ingest" : need === "read" ? "read" : "admin";
    return caller.scopes.includes(scope) ? "allowed" : 403;
  }
  if (need === "ingest") return 401; // a user has no key; OTLP takes keys only
  const order: Role[] = ["viewer", "member", "owner"];
  const min: Role = need === "read" ? "viewer" : need === "triage" ? "member" : "owner";
  return order.indexOf(caller.role) >= order.indexOf(min) ? "allowed" : 403;
}

describe("route table", () => {
  it("every route and method under app/ has a case, and every id route targets B", async () => {
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

  it.each([
    ["read", "read key", "allowed"], ["read", "ingest key", 403], ["triage", "viewer", 403], ["triage", "member", "allowed"],
    ["manage", "member", 403], ["manage", "admin key", "allowed"], ["ingest", "owner", 401], ["session", "admin key", 403],
  ] as const)("expectedVerdict(%s, %s) = %s", (need, caller, verdict) => {
    expect(expectedVerdict(need, CALLERS[caller]!)).toBe(verdict);
  });
});

describe.each(PROVIDERS)("tenancy over HTTP on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  let a: Seed;
  let b: Seed;
  const keysOfA = new Map<string, string>();
  const usersOfA = new Map<Role, string>();
  let secretsOfB: string[];
  let before: unknown;

  async function ingest(key: string, body: unknown): Promise<void> {
    const res = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  async function seedProject(name: string, marker: string): Promise<Seed> {
    const project = await t.db.project.create({ data: { name } });
    const { key, id: keyId } = await createApiKey(t.db, project.id, `${marker}-key`, ["ingest", "read", "admin"]);
    const disposableKey = await createApiKey(t.db, project.id, `${marker}-disposable-key`, ["ingest"]);
    const trace = agentTrace(hex(16), BigInt(Date.now() - 3600_000) * 1_000_000n);
    trace[0]!.attributes = { ...trace[0]!.attributes, "gen_ai.agent.name": `agent-${marker}`, "session.id": `conversation-${marker}`, "user.id": `enduser-${marker}` };
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
    const disposableChannel = await t.db.notificationChannel.create({ data: { projectId: project.id, type: "webhook", name: `channel-${marker}-2`, url: "https://hooks.example/x" } });
    const delivery = await t.db.alertDelivery.create({
      data: {
        projectId: project.id, alertId: alert.id, channelId: channel.id, reason: "opened", payload: { marker }, status: "failed", attempts: 8,
        lastError: `error-${marker}`, idempotencyKey: `idem-${marker}`,
      },
    });
    const invite = await t.db.invite.create({ data: { projectId: project.id, role: "member", email: `invitee-${marker}@argus.test`, tokenHash: `hash-${marker}`, expiresAt: new Date(Date.now() + 86_400_000) } });
    const bystander = await t.db.user.create({ data: { email: `bystander-${marker}@argus.test`, passwordHash: "x" } });
    await t.db.membership.create({ data: { userId: bystander.id, projectId: project.id, role: "viewer" } });
    const session = await createSession(t.db, bystander.id, now);
    const sessionRow = await t.db.session.findFirstOrThrow({ where: { userId: bystander.id } });
    void session;
    const policyName = `policy-${marker}`;
    await applyPolicy(t.db, { projectId: project.id, source: `name: ${policyName}\nrules:\n  - { id: rule-${marker}, outcome: deny, message: "message-${marker}" }\n`, author: `author-${marker}` });
    const decision = await t.db.decision.create({
      data: { projectId: project.id, agent: `agent-${marker}`, tool: "issue_refund", args: JSON.stringify({ marker }), user: `user-${marker}`, decision: "deny", risk: 1, reasons: "[]", flags: "[]", policyVersions: "[]" },
    });
    return {
      decisionId: decision.id, projectId: project.id, name, key, keyId, disposableKeyId: disposableKey.id, disposableChannelId: disposableChannel.id, bystanderId: bystander.id,
      traceId, spanId: trace[1]!.spanId, anomalyId: anomaly.id, alertId: alert.id, channelId: channel.id, deliveryId: delivery.id, inviteId: invite.id, sessionId: sessionRow.id, conversationId: `conversation-${marker}`, policyName,
    };
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
    memberships: await t.db.membership.findMany({ where: { projectId: b.projectId }, orderBy: { userId: "asc" } }),
    invites: await t.db.invite.findMany({ where: { projectId: b.projectId } }),
    sessions: await t.db.session.findMany({ where: { userId: b.bystanderId } }),
    policies: await t.db.policy.findMany({ where: { projectId: b.projectId }, include: { versions: true } }),
    decisions: await t.db.decision.findMany({ where: { projectId: b.projectId }, orderBy: { id: "asc" } }),
  });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    // Outbound requests from the channel test stay off the network: nothing may be reached.
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_WORKERS: "none", ARGUS_OUTBOUND_ALLOW: "" } });
    // An admin exists, so /api/auth/setup is closed; the users below are ordinary users of A only.
    await t.db.user.create({ data: { email: "root@argus.test", passwordHash: await hashPassword("root-password-1"), isAdmin: true } });
    a = await seedProject("tenant-a", "a-visible");
    b = await seedProject("tenant-b-secret", "b-secret");
    for (const [name, caller] of Object.entries(CALLERS)) {
      if (caller.kind === "key") keysOfA.set(name, (await createApiKey(t.db, a.projectId, `a-${name}`, caller.scopes)).key);
      if (caller.kind === "user") {
        const user = await t.db.user.create({ data: { email: `${caller.role}-a@argus.test`, passwordHash: await hashPassword(MEMBER_PASSWORD) } });
        await t.db.membership.create({ data: { userId: user.id, projectId: a.projectId, role: caller.role } });
        usersOfA.set(caller.role, user.id);
      }
    }
    secretsOfB = [
      b.projectId, b.key, b.keyId, b.traceId, b.spanId, b.anomalyId, b.alertId, b.channelId, b.deliveryId, b.inviteId, b.bystanderId,
      "tenant-b-secret", "agent-b-secret", "svc-b-secret", "alert-b-secret", "anomaly-b-secret", "channel-b-secret", "b-secret-url-path",
      "whsec_b-secret", "error-b-secret", "explanation-b-secret", "idem-b-secret", "b-secret-key", b.key.slice(0, 12), "invitee-b-secret", "bystander-b-secret",
      "rule-b-secret", "message-b-secret", "author-b-secret", "conversation-b-secret", "enduser-b-secret",
    ];
    before = await snapshotB();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  type Variant = "plain" | "queryProjectB" | "queryProjectNameB" | "cookieProjectB";

  async function call(caller: { key?: string; userId?: string }, variant: Variant, method: Method, pattern: string, c: Case, target: Seed) {
    const params = c.params?.(target) ?? {};
    const project = variant === "queryProjectB" ? `project=${b.projectId}` : variant === "queryProjectNameB" ? `project=${encodeURIComponent(b.name)}` : undefined;
    const query = [c.query?.(target), project].filter(Boolean).join("&");
    const path = `${fillPattern(pattern, params)}${query ? `?${query}` : ""}`;
    const headers = new Headers({ "content-type": "application/json" });
    const cookies: string[] = variant === "cookieProjectB" ? [`argus_project=${b.projectId}`] : [];
    if (caller.key) headers.set("authorization", `Bearer ${caller.key}`);
    else if (caller.userId) {
      // A fresh session per call, so a sign-out case does not end the session of later ones.
      const session = await createSession(t.db, caller.userId, new Date());
      cookies.push(`argus_session=${session.token}`, `argus_csrf=${session.csrfToken}`);
      headers.set("x-csrf-token", session.csrfToken);
    }
    if (cookies.length) headers.set("cookie", cookies.join("; "));
    const body = method === "GET" || method === "HEAD" ? undefined : JSON.stringify(c.body?.(target) ?? {});
    const res = await fetch(`${server.url}${path}`, { method, headers, body, redirect: "manual" });
    return { path, status: res.status, text: await res.text() };
  }

  const callerRef = (name: string) => {
    const caller = CALLERS[name]!;
    return caller.kind === "key" ? { key: keysOfA.get(name)! } : caller.kind === "user" ? { userId: usersOfA.get(caller.role)! } : {};
  };

  // OTLP writes with B's trace id come last: they create A's own trace with that id, which A may then read.
  const isIngest = (pattern: string) => /\/v1\/(traces|logs|metrics)$/.test(pattern) && !pattern.startsWith("/api/v1/");
  const orderedRoutes = () => discoverRoutes().sort((x, y) => Number(isIngest(x.pattern)) - Number(isIngest(y.pattern)));

  it("isolation: no caller of project A reads or changes anything of project B, through any route", async () => {
    const problems: string[] = [];
    let calls = 0;
    const principals = { "all-scopes key of A": { key: a.key }, "owner of A": { userId: usersOfA.get("owner")! }, anonymous: {} };
    for (const route of orderedRoutes()) {
      for (const method of Object.keys(await loadHandlers(route)) as Method[]) {
        const c = CASES[route.pattern]?.[method];
        if (!c) continue;
        for (const [who, ref] of Object.entries(principals)) {
          for (const variant of ["plain", "queryProjectB", "queryProjectNameB", "cookieProjectB"] as Variant[]) {
            const { path, status, text } = await call(ref, variant, method, route.pattern, c, b);
            calls += 1;
            const label = `${who} ${variant} ${method} ${path} → ${status}`;
            const anonymous = who === "anonymous";
            if (status >= 500) problems.push(`${label}: server error ${text.slice(0, 200)}`);
            if (c.targetsB && status < 400) problems.push(`${label}: B's object was not refused`);
            const refusals = anonymous && c.need !== "none" ? [401] : [401, 403, 404];
            if (c.targetsB && status >= 400 && !refusals.includes(status)) problems.push(`${label}: expected ${refusals.join(" or ")}`);
            if (anonymous && c.need !== "none" && status !== 401) problems.push(`${label}: anonymous call not refused with 401`);
            const asksForB = variant === "queryProjectB" || variant === "queryProjectNameB";
            if (who === "owner of A" && asksForB && !c.projectAgnostic && status < 400) problems.push(`${label}: ?project=<B> was not refused for a non-member`);
            // A response may echo what the caller sent (an id or name in the path or query); nothing else of B may appear.
            const leaked = secretsOfB.filter((s) => text.includes(s) && !decodeURIComponent(path).includes(s));
            if (leaked.length) problems.push(`${label}: response contains B's ${leaked.join(", ")}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(400);
    expect(await snapshotB()).toEqual(before);
    expect(server.exitCode()).toBeNull();
  }, 300_000);

  it("scopes and roles: every route × every kind of caller of A is allowed or refused as its case says", async () => {
    const problems: string[] = [];
    const table: string[] = [];
    for (const route of orderedRoutes()) {
      for (const method of Object.keys(await loadHandlers(route)) as Method[]) {
        const c = CASES[route.pattern]?.[method];
        if (!c) continue;
        const row: string[] = [];
        for (const name of Object.keys(CALLERS)) {
          const { path, status, text } = await call(callerRef(name), "plain", method, route.pattern, c, a);
          const expected = expectedVerdict(c.need, CALLERS[name]!);
          // Allowed = got past authorization: the answer may still be 404 (already deleted) or 409 (setup done).
          const verdict = status === 401 || status === 403 ? status : "allowed";
          const authFailure = status === 403 && !/lacks the|cannot do this|needs a signed-in user|instance admins|not a member|takes an API key/.test(text);
          row.push(`${name}=${status}`);
          if (status >= 500) problems.push(`${name} ${method} ${path} → ${status}: ${text.slice(0, 200)}`);
          if (expected !== "any" && verdict !== expected && !(verdict === 403 && expected === "allowed" && authFailure)) {
            problems.push(`${name} ${method} ${path} → ${status}, expected ${expected}: ${text.slice(0, 160)}`);
          }
        }
        table.push(`${method} ${route.pattern} [${c.need}]: ${row.join(" ")}`);
      }
    }
    expect(problems, table.join("\n")).toEqual([]);
  }, 300_000);

  it("controls: A's callers with the right scope or role do see their own project's data", async () => {
    for (const ref of [{ key: keysOfA.get("read key")! }, { userId: usersOfA.get("viewer")! }]) {
      const list = await call(ref, "plain", "GET", "/api/v1/traces", CASES["/api/v1/traces"]!.GET!, a);
      expect(list.status).toBe(200);
      expect(list.text).toContain(a.traceId);
      const one = await call(ref, "plain", "GET", "/api/v1/alerts/[id]", CASES["/api/v1/alerts/[id]"]!.GET!, a);
      expect(one.status).toBe(200);
      expect(one.text).toContain("alert-a-visible");
      const spans = await call(ref, "plain", "GET", "/api/v1/spans", CASES["/api/v1/spans"]!.GET!, a);
      expect(spans.status).toBe(200);
      expect(spans.text).toContain(a.spanId);
      const sessions = await call(ref, "plain", "GET", "/api/v1/sessions", CASES["/api/v1/sessions"]!.GET!, a);
      expect(sessions.text).toContain("conversation-a-visible");
      const session = await call(ref, "plain", "GET", "/api/v1/sessions/[sessionId]", CASES["/api/v1/sessions/[sessionId]"]!.GET!, a);
      expect(session.status).toBe(200);
      expect(session.text).toContain(a.traceId);
      const users = await call(ref, "plain", "GET", "/api/v1/users", CASES["/api/v1/users"]!.GET!, a);
      expect(users.text).toContain("enduser-a-visible");
    }
    // Naming B's agent gives exactly what naming an agent that exists nowhere gives: no data of B.
    for (const ref of [{ key: keysOfA.get("read key")! }, { userId: usersOfA.get("viewer")! }]) {
      for (const pattern of ["/api/v1/agents/steps", "/api/v1/agents/transitions"]) {
        const ofB = await call(ref, "plain", "GET", pattern, CASES[pattern]!.GET!, a);
        const ofNobody = await call(ref, "plain", "GET", pattern, { need: "read", query: () => CASES[pattern]!.GET!.query!(b).replace("agent-b-secret", "agent-nobody-xyz") }, a);
        expect(ofB.status).toBe(200);
        expect(ofB.text.replaceAll("agent-b-secret", "agent-nobody-xyz")).toBe(ofNobody.text);
      }
    }
    // And a user signs in through the real login route.
    const login = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "viewer-a@argus.test", password: MEMBER_PASSWORD }) });
    expect(login.status).toBe(200);
  });

  it("finding 1: an ingestion key (the default) sends traces and can do nothing else", async () => {
    const key = keysOfA.get("ingest key")!;
    const fresh = await t.db.anomaly.create({
      data: { projectId: a.projectId, traceId: a.traceId, detector: "latency", metric: "duration_ms", entity: "x", score: 0.99, severity: "high", explanation: "e", fingerprint: "fp-fresh", dedupKey: "dedup-fresh" },
    });
    const attempts: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/traces/${a.traceId}`],
      ["POST", "/api/v1/channels", { type: "webhook", name: "exfil", url: "https://attacker.example/hook" }],
      ["POST", `/api/v1/channels/${a.channelId}/test`],
      ["PATCH", `/api/v1/channels/${a.channelId}`, { enabled: false }],
      ["POST", `/api/v1/alerts/${a.alertId}/resolve`],
      ["POST", `/api/v1/anomalies/${fresh.id}/feedback`, { feedback: "expected" }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/lacks the '(read|admin)' scope/);
    }
    const anomaly = await t.db.anomaly.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(anomaly.feedback).toBeNull();
    expect((await t.db.notificationChannel.count({ where: { name: "exfil" } }))).toBe(0);
  });
});
