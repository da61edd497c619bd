// Every filter, search and cursor parameter of every list endpoint, and every id in a path, tried with SQL
// metacharacters, unicode and oversize values over HTTP: never a 500, either results or a clear 400, and
// the database intact afterwards. LIKE wildcards in the trace search match literally.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZAlertListQuery } from "@/lib/alerts/alert-schemas";
import { ZAuditListQuery } from "@/lib/audit/audit-schemas";
import { ZAnomalyListQuery } from "@/lib/detect/anomaly-schemas";
import { ZTraceListQuery } from "@/lib/queries/list-traces";
import { ZSpanListQuery } from "@/lib/queries/span-list-query";
import { ZPolicyVersionQuery } from "@/lib/policies/policy-api-schemas";
import { applyPolicy } from "@/lib/policies/policy-store";
import { ZTimeRangeQuery } from "@/lib/queries/time-range";
import { ZSessionListQuery, ZSessionTurnsQuery } from "@/lib/queries/trace-sessions";
import { ZUserListQuery } from "@/lib/queries/trace-users";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { hex, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";
import { discoverRoutes, fillPattern, loadHandlers, paramNames } from "./routes";

const keysOf = (schema: { shape: Record<string, unknown> }): string[] => Object.keys(schema.shape);

/** The query parameters of every GET route that takes any; a route with `query:` missing here fails the test. */
const LIST_PARAMS: Record<string, string[]> = {
  "/api/v1/traces": keysOf(ZTraceListQuery),
  "/api/v1/spans": keysOf(ZSpanListQuery),
  "/api/v1/sessions": keysOf(ZSessionListQuery),
  "/api/v1/sessions/[sessionId]": keysOf(ZSessionTurnsQuery),
  "/api/v1/users": keysOf(ZUserListQuery),
  "/api/v1/anomalies": keysOf(ZAnomalyListQuery),
  "/api/v1/alerts": keysOf(ZAlertListQuery),
  "/api/v1/audit": keysOf(ZAuditListQuery),
  "/api/v1/overview": keysOf(ZTimeRangeQuery),
  "/api/v1/agents": keysOf(ZTimeRangeQuery),
  "/api/v1/agents/steps": ["agent", "step", "metric"],
  "/api/v1/agents/transitions": ["agent", "traces"],
  "/api/v1/facets": ["days"],
  "/api/v1/policies/[name]/versions/[version]": keysOf(ZPolicyVersionQuery),
};
/** Path parameters of the list routes that have some: objects the test creates. */
const PATH_PARAMS: Record<string, Record<string, string>> = {
  "/api/v1/policies/[name]/versions/[version]": { name: "probe", version: "latest" },
  "/api/v1/sessions/[sessionId]": { sessionId: "probe-session" },
};
/** Parameters other than the one under test need a valid value on these routes. */
const REQUIRED: Record<string, Record<string, string>> = {
  "/api/v1/agents/steps": { agent: "planner", step: "chat" },
  "/api/v1/agents/transitions": { agent: "planner" },
};

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const PAYLOADS: [string, string][] = [
  ["single quote", "'"],
  ["double quote", '"'],
  ["semicolon", ";"],
  ["comment", "--"],
  ["percent", "%"],
  ["underscore", "_"],
  ["backslash", "\\"],
  ["tautology", "' OR '1'='1' --"],
  ["stacked query", "x'; DROP TABLE spans; --"],
  ["postgres cast", "1'::int--"],
  ["union", "' UNION SELECT hash FROM api_keys --"],
  ["LIKE escape", "\\%' ESCAPE '"],
  ["unicode", "日本語 🙂 ünïcödé \u202e"],
  ["NUL", "a\u0000b"],
  ["number-ish", "1e309"],
  ["negative", "-1"],
  ["NaN", "NaN"],
  ["JSON", '{"$gt":""}'],
  ["cursor with SQL", b64(JSON.stringify(["2020-01-01T00:00:00Z", "' OR 1=1 --"]))],
  ["cursor with junk", b64("][{")],
  ["oversize 10 kB", "A".repeat(10_240)],
  ["oversize quotes", "'".repeat(10_240)],
];

describe.each(PROVIDERS)("injection on %s", (provider) => {
  let t: TestDatabase;
  let server: TestServer;
  let traceIds: string[];

  const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  const counts = async () => ({
    spans: await t.db.span.count(), traces: await t.db.trace.count(), keys: await t.db.apiKey.count(), projects: await t.db.project.count(),
  });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    server = await startServer({ databaseUrl: t.databaseUrl });
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const names = ["50%_off 'sale'", "plain run", "back\\slash"];
    traceIds = names.map(() => hex(16));
    const spans = names.map((name, i) => ({
      traceId: traceIds[i]!, spanId: hex(8), name, startNs: start, endNs: start + 1_000_000n, attributes: { "gen_ai.agent.name": "planner", "session.id": "probe-session", "user.id": "probe-user" },
    }));
    const res = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(jsonRequest(spans)) });
    expect(res.status).toBe(200);
    const project = await t.db.project.findFirstOrThrow();
    for (const text of ["a", "b"]) await applyPolicy(t.db, { projectId: project.id, source: `name: probe\nrules:\n  - { id: ${text}, outcome: allow }\n`, author: "test" });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  it("every GET route that parses a query has its parameters listed", async () => {
    const missing: string[] = [];
    for (const route of discoverRoutes()) {
      if (!(await loadHandlers(route)).GET) continue;
      if (/\bquery:/.test(readFileSync(route.file, "utf8")) && !LIST_PARAMS[route.pattern]) missing.push(route.pattern);
    }
    expect(missing).toEqual([]);
    for (const params of Object.values(LIST_PARAMS)) expect(params.length).toBeGreaterThan(0);
  });

  it("hostile values in every list parameter: 200 or a clear 400, never a 500", async () => {
    const before = await counts();
    const problems: string[] = [];
    let calls = 0;
    for (const [pattern, params] of Object.entries(LIST_PARAMS)) {
      for (const param of params) {
        for (const [what, value] of PAYLOADS) {
          const query = new URLSearchParams({ ...REQUIRED[pattern], [param]: value });
          const res = await get(`${fillPattern(pattern, PATH_PARAMS[pattern] ?? {})}?${query}`);
          calls += 1;
          const text = await res.text();
          const label = `${pattern} ${param}=<${what}> → ${res.status}`;
          if (res.status === 400) {
            const body = JSON.parse(text) as { error?: { code: string; message: string } };
            if (body.error?.code !== "bad_request" || !body.error.message) problems.push(`${label}: 400 without a clear message`);
          } else if (res.status === 431) {
            // Node refuses request lines over its 16 kB header limit before the app sees them: a clear 4xx too.
            if (query.toString().length < 16 * 1024) problems.push(`${label}: 431 for a URL under 16 kB`);
          } else if (res.status !== 200) problems.push(`${label}: ${text.slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect(await counts()).toEqual(before);
  }, 300_000);

  it("hostile ids in every path parameter: 4xx, never a 500", async () => {
    const problems: string[] = [];
    for (const route of discoverRoutes().filter((r) => paramNames(r.pattern).length > 0)) {
      if (!(await loadHandlers(route)).GET) continue;
      for (const [what, value] of PAYLOADS) {
        const params = Object.fromEntries(paramNames(route.pattern).map((n) => [n, value]));
        const res = await get(fillPattern(route.pattern, params));
        if (res.status >= 500 || res.status < 400) problems.push(`${route.pattern} <${what}> → ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the trace search matches % _ \\ and quotes literally", async () => {
    const search = async (q: string) => {
      const res = await get(`/api/v1/traces?range=24h&q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { traceId: string }[] }).items.map((tr) => tr.traceId).sort();
    };
    expect(await search("%")).toEqual([traceIds[0]]);
    expect(await search("_")).toEqual([traceIds[0]]);
    expect(await search("'sale'")).toEqual([traceIds[0]]);
    expect(await search("\\")).toEqual([traceIds[2]]);
    expect(await search("' OR '1'='1")).toEqual([]);
    expect((await search("run")).length).toBe(1);
    expect(server.exitCode()).toBeNull();
  });
});
