// Security headers on every kind of response of the production server: pages, redirects, the JSON API,
// OTLP ingestion, static assets and 404s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { startServer, type TestServer } from "@/tests/helpers/server";

let t: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  server = await startServer({ databaseUrl: t.databaseUrl });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
});

function expectSecurityHeaders(res: Response, what: string): void {
  const h = (name: string) => res.headers.get(name) ?? "";
  const csp = h("content-security-policy");
  expect(csp, `${what}: CSP`).toContain("default-src 'self'");
  expect(csp, `${what}: CSP frame-ancestors`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP object-src`).toContain("object-src 'none'");
  expect(csp, `${what}: CSP base-uri`).toContain("base-uri 'self'");
  expect(csp, `${what}: no eval in production`).not.toContain("unsafe-eval");
  expect(h("x-frame-options"), what).toBe("DENY");
  expect(h("x-content-type-options"), what).toBe("nosniff");
  expect(h("referrer-policy"), what).toBe("same-origin");
  expect(h("permissions-policy"), what).toContain("camera=()");
  expect(h("x-powered-by"), what).toBe("");
}

describe("security headers", () => {
  it.each([
    ["sign-in page", "/login", "GET", 200],
    ["setup page", "/setup", "GET", 200],
    ["protected page (redirect to sign-in)", "/traces?agent=x", "GET", 307],
    ["unknown page", "/no-such-page", "GET", 307],
    ["health API", "/api/health", "GET", 200],
    ["JSON API without credentials", "/api/v1/traces", "GET", 401],
    ["JSON API bad id", "/api/v1/alerts/nope", "GET", 401],
    ["OTLP ingestion without a key", "/v1/traces", "POST", 401],
    ["OTLP ingestion (public path)", "/api/public/otel/v1/traces", "POST", 401],
    ["unknown API route", "/api/v1/nothing-here", "GET", 404],
  ])("%s", async (what, path, method, status) => {
    const res = await fetch(`${server.url}${path}`, { method, redirect: "manual", headers: method === "POST" ? { "content-type": "application/json" } : {}, body: method === "POST" ? "{}" : undefined });
    expect(res.status, what).toBe(status);
    expectSecurityHeaders(res, what);
  });

  it("static assets of the build carry them too", async () => {
    const html = await (await fetch(`${server.url}/login`)).text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
    expect(asset, "a script of the build in the sign-in page").toBeTruthy();
    const res = await fetch(`${server.url}${asset}`);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res, asset!);
  });
});

describe("finding 9: bad paths and parameters are a 400 JSON error with the headers", () => {
  it.each([
    ["an undecodable path", "/api/v1/traces/%ff"],
    ["an undecodable page path", "/%ff"],
    ["an undecodable OTLP-looking path", "/v1/%ff"],
  ])("%s", async (_what, path) => {
    const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    expectSecurityHeaders(res, path);
  });

  it.each(["/api/v1/traces", "/api/v1/overview", "/api/v1/agents"])("%s?to=9007199254740991 → 400", async (path) => {
    const key = (await createApiKey(t.db, server.projectId, "reader", ["read"])).key;
    const res = await fetch(`${server.url}${path}?to=9007199254740991`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/to: must be at most/);
    expectSecurityHeaders(res, path);
  });
});
