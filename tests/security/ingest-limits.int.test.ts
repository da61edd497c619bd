// Ingestion limits through the production server: over-limit attributes, events and links are cut with a
// marker, spans over the per-request maximum are rejected, and OTLP partial_success says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpTypes } from "@/lib/otlp/proto";
import { DROPPED_KEYS } from "@/lib/otlp/limits";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { hex, jsonRequest, toProtobuf, type FixtureSpan, type Plain } from "@/tests/helpers/otlp-fixtures";
import { startServer, type TestServer } from "@/tests/helpers/server";

let t: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  server = await startServer({
    databaseUrl: t.databaseUrl,
    env: { ARGUS_MAX_SPANS_PER_REQUEST: "5", ARGUS_MAX_ATTRIBUTES_PER_SPAN: "10", ARGUS_MAX_EVENTS_PER_SPAN: "3", ARGUS_MAX_ATTRIBUTE_CHARS: "1000" },
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
});

const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`attr.${i}`, `v${i}`]));

function spans(traceId: string): FixtureSpan[] {
  const start = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: 7 }, (_, i) => ({
    traceId, spanId: hex(8), name: `step-${i}`, startNs: start, endNs: start + 1_000_000n,
    attributes: (i === 0 ? { "big.value": "y".repeat(5000), ...attrs(500) } : { n: i }) as Record<string, Plain>,
    events: i === 0 ? Array.from({ length: 50 }, (_, e) => ({ name: `event-${e}`, timeNs: start + 1n })) : [],
  }));
}

async function post(body: Buffer | string, contentType: string) {
  const payload = typeof body === "string" ? body : new Uint8Array(body);
  return fetch(`${server.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${server.apiKey}`, "content-type": contentType }, body: payload });
}

describe("ingestion limits over HTTP", () => {
  it.each(["json", "protobuf"] as const)("%s: cuts and rejects over-limit data, reports it in partial_success, stores the rest", async (encoding) => {
    const traceId = hex(16);
    const request = jsonRequest(spans(traceId));
    const res = encoding === "json" ? await post(JSON.stringify(request), "application/json") : await post(toProtobuf(request), "application/x-protobuf");
    expect(res.status).toBe(200);
    let partial: { rejectedSpans: string | number; errorMessage: string };
    if (encoding === "json") partial = ((await res.json()) as { partialSuccess: typeof partial }).partialSuccess;
    else {
      const { response } = otlpTypes();
      partial = (response.toObject(response.decode(new Uint8Array(await res.arrayBuffer())), { longs: Number }) as { partialSuccess: typeof partial }).partialSuccess;
    }
    expect(Number(partial.rejectedSpans)).toBe(2);
    expect(partial.errorMessage).toContain("over the limit of 5 spans per request");
    expect(partial.errorMessage).toContain("491 attribute(s) dropped");
    expect(partial.errorMessage).toContain("47 event(s) dropped");
    expect(partial.errorMessage).toContain("truncated to 1000 characters");

    const stored = await t.db.span.findMany({ where: { traceId }, orderBy: { name: "asc" } });
    expect(stored.map((s) => s.name)).toEqual(["step-0", "step-1", "step-2", "step-3", "step-4"]);
    const first = stored[0]!;
    const attributes = first.attributes as Record<string, unknown>;
    expect(Object.keys(attributes).filter((k) => k.startsWith("attr."))).toHaveLength(9);
    expect(String(attributes["big.value"])).toMatch(/^y{1000}…\[truncated 4000 chars\]$/);
    expect(attributes[DROPPED_KEYS.attributes]).toBe(491);
    expect(attributes[DROPPED_KEYS.events]).toBe(47);
    expect(first.events as unknown[]).toHaveLength(3);
    expect(server.exitCode()).toBeNull();
  });

  it("a request within the limits gets a plain success", async () => {
    const start = BigInt(Date.now()) * 1_000_000n;
    const res = await post(JSON.stringify(jsonRequest([{ traceId: hex(16), spanId: hex(8), name: "ok", startNs: start, endNs: start + 1n, attributes: attrs(10) }])), "application/json");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });
});
