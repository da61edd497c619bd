// The OTLP handler end to end without HTTP: Request in, Response out, real databases.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { InflightLimiter } from "../ingest/inflight-limiter";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex, jsonRequest, jsonSpan, toProtobuf } from "@/tests/helpers/otlp-fixtures";
import { handleDiscardExport, handleTraceExport, type ExportDeps } from "./handle-export";
import { otlpTypes } from "./proto";
import { inProcessSpanWriter } from "@/lib/ingest/ingest-spans";

describe.each(PROVIDERS)("OTLP export handler on %s", (provider) => {
  let t: TestDatabase;
  let key: string;
  let projectId: string;
  let deps: ExportDeps;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "otlp" } })).id;
    key = (await createApiKey(t.db, projectId, "handle-export", ["ingest"])).key;
    deps = { db: t.db, writer: inProcessSpanWriter(t.raw), prices: DEFAULT_PRICES, maxBodyBytes: 1024 * 1024, limiter: new InflightLimiter(4), now: () => 1_750_000_000_000 };
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const post = (body: Uint8Array | string, headers: Record<string, string>, d = deps) =>
    handleTraceExport(new Request("http://argus/v1/traces", { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers }), d);
  const json = (apiKey = key) => ({ "content-type": "application/json", authorization: `Bearer ${apiKey}` });
  const proto = (apiKey = key) => ({ "content-type": "application/x-protobuf", "x-api-key": apiKey });

  it("stores a JSON export and answers {} in JSON", async () => {
    const trace = agentTrace();
    const res = await post(JSON.stringify(jsonRequest(trace)), { ...json(), "content-type": "application/json; charset=utf-8" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await t.db.span.count({ where: { projectId, traceId: trace[0]!.traceId } })).toBe(3);
  });

  it("stores a gzip protobuf export and answers an encoded ExportTraceServiceResponse", async () => {
    const trace = agentTrace();
    const res = await post(gzipSync(toProtobuf(jsonRequest(trace))), { ...proto(), "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const decoded = otlpTypes().response.decode(new Uint8Array(await res.arrayBuffer())).toJSON();
    expect(decoded).toEqual({});
    expect(await t.db.span.count({ where: { projectId, traceId: trace[0]!.traceId } })).toBe(3);
  });

  it("stores the valid spans and reports the rest as partial success, in both encodings", async () => {
    const good = agentTrace();
    const request = jsonRequest(good);
    request.resourceSpans[0]!.scopeSpans[0]!.spans.push({ ...jsonSpan(good[0]!), spanId: "xyz" });
    const res = await post(JSON.stringify(request), json());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: { rejectedSpans: "1", errorMessage: expect.stringContaining("resourceSpans[0].scopeSpans[0].spans[3].spanId must be 16 hex characters") },
    });
    const protoRes = await post(toProtobuf({ resourceSpans: [{ scopeSpans: [{ spans: [jsonSpan(agentTrace()[0]!), { ...jsonSpan(good[0]!), spanId: "abcd" }] }] }] }), proto());
    const body = otlpTypes().response.decode(new Uint8Array(await protoRes.arrayBuffer())).toJSON();
    expect(body).toEqual({ partialSuccess: { rejectedSpans: "1", errorMessage: expect.stringContaining("spans[1].spanId must be 8 bytes, got 2") } });
  });

  it.each([
    ["missing key", {}, /Missing API key/],
    ["wrong key", { authorization: "Bearer argus_nope" }, /Invalid API key/],
  ])("answers 401 for a %s", async (_name, headers, message) => {
    const res = await post("{}", { "content-type": "application/json", ...headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("refuses a revoked key at once", async () => {
    const created = await createApiKey(t.db, projectId, "temp", ["ingest"]);
    expect((await post("{}", json(created.key))).status).toBe(200);
    await revokeApiKey(t.db, created.id);
    const res = await post("{}", json(created.key));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(/revoked/) }, code: 16 });
  });

  it("answers protobuf requests' errors with an encoded google.rpc.Status", async () => {
    const res = await post(Buffer.from("garbage!"), proto());
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const status = otlpTypes().rpcStatus.decode(new Uint8Array(await res.arrayBuffer())).toJSON();
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/not a valid OTLP ExportTraceServiceRequest/) });
  });

  it.each([
    ["unsupported content type", { "content-type": "text/plain" }, "x", 415],
    ["body over the limit", { "content-type": "application/json" }, "x".repeat(1024 * 1024 + 1), 413],
    ["empty body", { "content-type": "application/json" }, "", 400],
    ["JSON with wrong types", { "content-type": "application/json" }, '{"resourceSpans":{"a":1}}', 400],
  ])("answers %s with %s", async (_name, headers, body, status) => {
    const res = await post(body, { ...headers, authorization: `Bearer ${key}` });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
  });

  it("sheds load with 429 and Retry-After when in-flight work is at the bound", async () => {
    const limiter = new InflightLimiter(1);
    const hold = limiter.tryAcquire()!;
    const res = await post("{}", json(), { ...deps, limiter });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    hold();
    expect((await post("{}", json(), { ...deps, limiter })).status).toBe(200);
    expect(limiter.inFlight).toBe(0);
  });

  it("accepts logs and metrics without storing them", async () => {
    const before = await t.db.span.count();
    const res = await handleDiscardExport(new Request("http://argus/v1/logs", { method: "POST", body: new Uint8Array([10, 0]), headers: proto() }), deps);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const unauth = await handleDiscardExport(new Request("http://argus/v1/metrics", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }), deps);
    expect(unauth.status).toBe(401);
    expect(await t.db.span.count()).toBe(before);
  });

  it("keeps the stored ids exactly as sent", async () => {
    const traceId = hex(16);
    const spans = agentTrace(traceId);
    await post(toProtobuf(jsonRequest(spans)), proto());
    const stored = await t.db.span.findMany({ where: { projectId, traceId }, select: { spanId: true, parentSpanId: true } });
    expect(new Set(stored.map((s) => `${s.spanId}:${s.parentSpanId}`))).toEqual(new Set(spans.map((s) => `${s.spanId}:${s.parentSpanId ?? null}`)));
  });

  it("stores NUL characters, lone surrogates and a __proto__ key safely (PostgreSQL refuses the first two)", async () => {
    const [span] = agentTrace();
    const request = jsonRequest([{ ...span!, name: "a\u0000b", attributes: { lone: "x\ud800y" } }]);
    const wire = request.resourceSpans[0]!.scopeSpans[0]!.spans[0] as { attributes: unknown[] };
    wire.attributes.push({ key: "__proto__", value: { stringValue: "p" } });
    const res = await post(JSON.stringify(request), json());
    expect(res.status).toBe(200);
    const row = await t.db.span.findFirstOrThrow({ where: { projectId, spanId: span!.spanId } });
    expect(row.name).toBe("a\uFFFDb");
    const attributes = row.attributes as Record<string, unknown>;
    expect(attributes.lone).toBe("x\uFFFDy");
    expect(Object.getOwnPropertyDescriptor(attributes, "__proto__")?.value).toBe("p");
  });

  it("saturates absurd token counts instead of failing the write", async () => {
    const trace = agentTrace();
    for (const s of trace) s.attributes = { ...s.attributes, "gen_ai.usage.input_tokens": 9e15, "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" };
    expect((await post(JSON.stringify(jsonRequest(trace)), json())).status).toBe(200);
    expect((await post(JSON.stringify(jsonRequest(trace.map((s) => ({ ...s, spanId: hex(8) })))), json())).status).toBe(200);
    const stored = await t.db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId, traceId: trace[0]!.traceId } } });
    expect(stored.inputTokens).toBe(2_147_483_647);
    expect(stored.spanCount).toBe(6);
  });
});
