// The node:http adapter of the OTLP handler (the production fast path) over real HTTP and real databases.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { rawApiKeyFinder } from "../auth/api-key-finder-raw";
import { InflightLimiter } from "../ingest/inflight-limiter";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, jsonRequest, toProtobuf } from "@/tests/helpers/otlp-fixtures";
import type { ExportDeps } from "./handle-export";
import { serveOtlp } from "./node-exchange";
import { inProcessSpanWriter } from "@/lib/ingest/ingest-spans";

describe.each(PROVIDERS)("OTLP over node:http on %s", (provider) => {
  let t: TestDatabase;
  let key: string;
  let projectId: string;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "node" } })).id;
    key = (await createApiKey(t.db, projectId, "node-exchange", ["ingest"])).key;
    // One in-flight request at a time, so a leaked slot would turn the next request into a 429.
    const deps: ExportDeps = {
      db: t.db, writer: inProcessSpanWriter(t.raw), prices: DEFAULT_PRICES, maxBodyBytes: 64 * 1024, limiter: new InflightLimiter(1), now: Date.now, findKey: rawApiKeyFinder(t.raw),
    };
    server = http.createServer((req, res) => {
      if (!serveOtlp(req, res, () => deps)) res.writeHead(404).end("not otlp");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.cleanup();
  });

  const post = (path: string, body: Uint8Array | string, type = "application/json", apiKey = key) =>
    fetch(`${url}${path}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { "content-type": type, authorization: `Bearer ${apiKey}` } });

  it("stores JSON and protobuf on both trace paths and answers logs and metrics", async () => {
    const a = agentTrace();
    const b = agentTrace();
    const json = await post("/v1/traces?x=1", JSON.stringify(jsonRequest(a)));
    expect([json.status, json.headers.get("content-type"), await json.text()]).toEqual([200, "application/json", "{}"]);
    const proto = await post("/api/public/otel/v1/traces", toProtobuf(jsonRequest(b)), "application/x-protobuf");
    expect([proto.status, proto.headers.get("content-type"), (await proto.arrayBuffer()).byteLength]).toEqual([200, "application/x-protobuf", 0]);
    expect(await t.db.span.count({ where: { projectId, traceId: { in: [a[0]!.traceId, b[0]!.traceId] } } })).toBe(6);
    for (const path of ["/v1/logs", "/v1/metrics", "/api/public/otel/v1/logs", "/api/public/otel/v1/metrics"]) expect((await post(path, "{}")).status).toBe(200);
  });

  it("leaves other paths and methods to the next handler", async () => {
    expect((await fetch(`${url}/v1/traces`)).status).toBe(404);
    expect((await post("/v1/tracesx", "{}")).status).toBe(404);
  });

  it("answers 401, 415 and 413 with messages, and keeps serving", async () => {
    const wrongKey = await post("/v1/traces", "{}", "application/json", "argus_nope");
    expect([wrongKey.status, ((await wrongKey.json()) as { error: { message: string } }).error.message]).toEqual([401, expect.stringMatching(/Invalid API key/)]);
    expect((await post("/v1/traces", "{}", "text/plain")).status).toBe(415);
    const big = await post("/v1/traces", "x".repeat(64 * 1024 + 1));
    expect([big.status, ((await big.json()) as { error: { message: string } }).error.message]).toEqual([413, expect.stringMatching(/exceeds the limit of 65536 bytes/)]);
    expect((await post("/v1/traces", JSON.stringify(jsonRequest(agentTrace())))).status).toBe(200);
  });

  it("frees the in-flight slot of a client that disconnects mid-body", async () => {
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(`POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\nContent-Length: 1000\r\n\r\n{"resourceSpans":`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on("close", () => resolve());
    });
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await post("/v1/traces", JSON.stringify(jsonRequest(agentTrace())))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });
});
