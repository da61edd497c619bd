// The production Next server (next start) with stock OpenTelemetry exporters and bad input over real HTTP.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { expectStoredAsExported, exportAgentTrace, type ExporterKind } from "@/tests/helpers/otel-exporters";
import { startServer } from "@/tests/helpers/server";
import { agentTrace, jsonRequest, jsonSpan, toProtobuf } from "@/tests/helpers/otlp-fixtures";

const MAX_BODY = 1024 * 1024;

describe.each(PROVIDERS)("OTLP over the Next server on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; apiKey: string; stop(): Promise<void> };
  let projectId: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_MAX_BODY_BYTES: String(MAX_BODY) } });
    projectId = (await t.db.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(server.apiKey) } })).projectId;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
  });

  const post = (body: Uint8Array | string, headers: Record<string, string>, path = "/v1/traces") =>
    fetch(`${server.url}${path}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers });
  const json = (key = server.apiKey) => ({ "content-type": "application/json", authorization: `Bearer ${key}` });
  const proto = (key = server.apiKey) => ({ "content-type": "application/x-protobuf", authorization: `Bearer ${key}` });

  async function stillServes(): Promise<void> {
    const trace = agentTrace();
    const res = await post(JSON.stringify(jsonRequest(trace)), json());
    expect(res.status).toBe(200);
    expect(await t.db.span.count({ where: { projectId, traceId: trace[0]!.traceId } })).toBe(3);
  }

  it.each<ExporterKind>(["http-json", "proto", "proto-gzip"])("stores what the stock %s exporter sent, field by field", async (kind) => {
    const exported = await exportAgentTrace(server.url, server.apiKey, kind, `svc-${kind}`);
    await expectStoredAsExported(t.db, projectId, exported, `svc-${kind}`, expect);
  });

  it("serves the same handler under /api/public/otel and accepts logs and metrics", async () => {
    const trace = agentTrace();
    expect((await post(toProtobuf(jsonRequest(trace)), proto(), "/api/public/otel/v1/traces")).status).toBe(200);
    expect(await t.db.span.count({ where: { projectId, traceId: trace[0]!.traceId } })).toBe(3);
    for (const path of ["/v1/logs", "/v1/metrics", "/api/public/otel/v1/logs"]) expect((await post("{}", json(), path)).status).toBe(200);
  });

  const valid = () => toProtobuf(jsonRequest(agentTrace()));
  let deep: Record<string, unknown> = { stringValue: "x" };
  for (let i = 0; i < 200; i++) deep = { kvlistValue: { values: [{ key: "k", value: deep }] } };
  const badCases: { name: string; body: () => Uint8Array | string; headers: () => Record<string, string>; status: number; message: RegExp }[] = [
    { name: "random bytes", body: () => Buffer.from("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01garbage"), headers: proto, status: 400, message: /./ },
    { name: "truncated protobuf", body: () => valid().subarray(0, 300), headers: proto, status: 400, message: /./ },
    { name: "JSON with wrong types", body: () => '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":1,"spanId":true}]}]}]}', headers: json, status: 400, message: /spans\[0\]\.traceId must be a hex string/ },
    { name: "ids of wrong length", body: () => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...jsonSpan(agentTrace()[0]!), traceId: "abc" }] }] }] }), headers: json, status: 400, message: /traceId must be 32 hex characters/ },
    { name: "ids not hex", body: () => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...jsonSpan(agentTrace()[0]!), spanId: "zzzzzzzzzzzzzzzz" }] }] }] }), headers: json, status: 400, message: /spanId must be 16 hex/ },
    { name: "missing ids", body: () => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: "x", startTimeUnixNano: "1", endTimeUnixNano: "2" }] }] }] }), headers: json, status: 400, message: /traceId is required/ },
    { name: "empty body", body: () => "", headers: json, status: 400, message: /body is empty/ },
    { name: "huge attribute value over the body limit", body: () => JSON.stringify(jsonRequest([{ ...agentTrace()[0]!, attributes: { big: "x".repeat(MAX_BODY) } }])), headers: json, status: 413, message: /exceeds the limit/ },
    { name: "deeply nested values", body: () => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...jsonSpan(agentTrace()[0]!), attributes: [{ key: "deep", value: deep }] }] }] }] }), headers: json, status: 200, message: /nested attribute value\(s\) dropped/ },
    { name: "invalid UTF-8", body: () => Buffer.concat([Buffer.from('{"resourceSpans":[],"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), headers: json, status: 400, message: /not valid UTF-8/ },
    { name: "gzip bomb", body: () => gzipSync(Buffer.alloc(64 * 1024 * 1024)), headers: () => ({ ...proto(), "content-encoding": "gzip" }), status: 413, message: /Decompressed request body exceeds/ },
    { name: "wrong key", body: () => "{}", headers: () => json("argus_wrong"), status: 401, message: /Invalid API key/ },
    { name: "no key", body: () => "{}", headers: () => ({ "content-type": "application/json" }), status: 401, message: /Missing API key/ },
    { name: "unsupported content type", body: () => "{}", headers: () => ({ ...json(), "content-type": "text/plain" }), status: 415, message: /Unsupported Content-Type/ },
  ];

  it.each(badCases)("answers $name with $status and keeps serving", async ({ body, headers, status, message }) => {
    const res = await post(body(), headers());
    expect(res.status).toBe(status);
    const text = headers()["content-type"] === "application/x-protobuf" ? Buffer.from(await res.arrayBuffer()).toString("latin1") : await res.text();
    expect(text).toMatch(message);
    await stillServes();
  });

  it("refuses a revoked key at once", async () => {
    const { createApiKey } = await import("@/lib/auth/api-keys");
    const created = await createApiKey(t.db, projectId, "to-revoke", ["ingest"]);
    expect((await post("{}", json(created.key))).status).toBe(200);
    await revokeApiKey(t.db, created.id);
    const res = await post("{}", json(created.key));
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/revoked/);
  });

  it("answers a wrong method with 405", async () => {
    const res = await fetch(`${server.url}/v1/traces`, { method: "GET" });
    expect(res.status).toBe(405);
    await stillServes();
  });
});
