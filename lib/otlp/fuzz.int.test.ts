// Fuzz: ≥ 10,000 mutations of valid OTLP JSON and protobuf bodies through the whole handler (auth, body,
// decode, validate, write) must never produce a 500 or an exception. Deterministic PRNG: failures name their case.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { InflightLimiter } from "../ingest/inflight-limiter";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { createTestDatabase, type Provider, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, jsonRequest, toProtobuf } from "@/tests/helpers/otlp-fixtures";
import { serveHandler } from "@/tests/helpers/serve-handler";
import { handleTraceExport, type ExportDeps } from "./handle-export";
import { inProcessSpanWriter } from "@/lib/ingest/ingest-spans";

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}
type Rng = ReturnType<typeof prng>;

const WEIRD: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 63, "", "0", "-5", "NaN", "Infinity", "9999999999999999999999", "zz", "\u0000",
  "\ud800", "é✓日本", "x".repeat(5000), [], [null], {}, { stringValue: 1 }, { intValue: "1e3" }, { arrayValue: {} }, { kvlistValue: { values: [{}] } },
  { __proto__: 1 }, "SPAN_KIND_SERVER", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "ABCDEF", "1700000000000000000",
];

function nested(depth: number): unknown {
  let v: unknown = { stringValue: "leaf" };
  for (let i = 0; i < depth; i++) v = { arrayValue: { values: [v] } };
  return v;
}

/** Replaces, deletes or duplicates a random node of a JSON value. */
function mutateTree(value: unknown, rng: Rng, depth = 0): unknown {
  const isContainer = value !== null && typeof value === "object";
  if (!isContainer || (depth > 0 && rng.next() < 0.2)) {
    const r = rng.next();
    if (r < 0.75) return rng.pick(WEIRD);
    if (r < 0.85) return nested(rng.int(40));
    return Array.isArray(value) ? [] : typeof value === "string" ? value + value : value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [rng.pick(WEIRD)];
    const copy = [...value];
    const i = rng.int(copy.length);
    const op = rng.next();
    if (op < 0.15) copy.splice(i, 1);
    else if (op < 0.25) copy.push(copy[i]);
    else copy[i] = mutateTree(copy[i], rng, depth + 1);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return { [rng.pick(["traceId", "spanId", "name", "resourceSpans", "value"])]: rng.pick(WEIRD) };
  const key = rng.pick(keys);
  const op = rng.next();
  if (op < 0.12) delete copy[key];
  else if (op < 0.18) copy[`${key}_x`] = copy[key];
  else copy[key] = mutateTree(copy[key], rng, depth + 1);
  return copy;
}

function mutateBytes(body: Buffer, rng: Rng): Buffer {
  const out = Buffer.from(body);
  const op = rng.int(5);
  if (op === 0) return out.subarray(0, rng.int(out.length));
  if (op === 1) {
    for (let i = 0, n = 1 + rng.int(8); i < n; i++) out[rng.int(out.length)] = rng.int(256);
    return out;
  }
  if (op === 2) {
    const at = rng.int(out.length);
    return Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + rng.int(16) }, () => rng.int(256))), out.subarray(at)]);
  }
  if (op === 3) {
    const at = rng.int(out.length);
    return Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rng.int(64))]);
  }
  const at = rng.int(out.length);
  const len = rng.int(200);
  return Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]);
}

interface Case {
  body: Buffer;
  headers: Record<string, string>;
}

function makeCase(seeds: { json: unknown; protobuf: Buffer }[], rng: Rng, key: string): Case {
  const seed = rng.pick(seeds);
  const protobuf = rng.next() < 0.4;
  let body: Buffer;
  if (protobuf) body = rng.next() < 0.3 ? safeProtobuf(mutateTree(seed.json, rng)) ?? mutateBytes(seed.protobuf, rng) : mutateBytes(seed.protobuf, rng);
  else body = rng.next() < 0.6 ? Buffer.from(JSON.stringify(mutateTree(seed.json, rng)) ?? "") : mutateBytes(Buffer.from(JSON.stringify(seed.json)), rng);
  const headers: Record<string, string> = { "content-type": protobuf ? "application/x-protobuf" : "application/json", authorization: `Bearer ${key}` };
  const r = rng.next();
  if (r < 0.1) {
    body = gzipSync(body);
    headers["content-encoding"] = "gzip";
  } else if (r < 0.13) {
    body = mutateBytes(gzipSync(body), rng);
    headers["content-encoding"] = "gzip";
  } else if (r < 0.14) {
    headers["content-type"] = rng.pick(["text/plain", "application/grpc", "", "application/json; charset=latin1"]);
  }
  return { body, headers };
}

/** Structural mutations encoded as protobuf, when protobufjs can encode them at all. */
function safeProtobuf(value: unknown): Buffer | null {
  try {
    return toProtobuf(value);
  } catch {
    return null;
  }
}

const ALLOWED = new Set([200, 400, 413, 415]);

describe.each<[Provider, number, number]>([
  ["sqlite", 10_000, 300],
  ["postgresql", 1_500, 200],
])("fuzzing the OTLP handler on %s", (provider, inProcess, overHttp) => {
  let t: TestDatabase;
  let deps: ExportDeps;
  let key: string;
  let seeds: { json: unknown; protobuf: Buffer }[];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const project = await t.db.project.create({ data: { name: "fuzz" } });
    key = (await createApiKey(t.db, project.id, "fuzz", ["ingest"])).key;
    deps = { db: t.db, writer: inProcessSpanWriter(t.raw), prices: DEFAULT_PRICES, maxBodyBytes: 1024 * 1024, limiter: new InflightLimiter(64), now: Date.now };
    seeds = [0, 1, 2].map(() => {
      const trace = agentTrace();
      trace[1]!.attributes = { ...trace[1]!.attributes, f: false, z: 0, d: 1.25, arr: [1, "a", true], kv: { a: { b: [1] } } };
      trace[1]!.events = [{ name: "e", timeNs: trace[1]!.startNs + 1n, attributes: { n: 1 } }];
      const json = jsonRequest(trace);
      return { json, protobuf: toProtobuf(json) };
    });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it(`answers ${inProcess} mutated bodies in-process with 2xx/4xx only`, async () => {
    const rng = prng(provider === "sqlite" ? 1234 : 5678);
    const statuses: Record<number, number> = {};
    for (let i = 0; i < inProcess; i++) {
      const { body, headers } = makeCase(seeds, rng, key);
      const res = await handleTraceExport(new Request("http://argus/v1/traces", { method: "POST", body: new Uint8Array(body), headers }), deps);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (!ALLOWED.has(res.status)) throw new Error(`case ${i}: status ${res.status} ${await res.text()} for body ${body.toString("base64").slice(0, 500)}`);
    }
    expect(statuses[200]).toBeGreaterThan(inProcess / 10);
    expect(statuses[400]).toBeGreaterThan(inProcess / 10);
    const ok = await handleTraceExport(new Request("http://argus/v1/traces", { method: "POST", body: JSON.stringify(seeds[0]!.json), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } }), deps);
    expect(ok.status).toBe(200);
  });

  it(`answers ${overHttp} mutated bodies over HTTP with 2xx/4xx only`, async () => {
    const server = await serveHandler((req) => handleTraceExport(req, deps));
    try {
      const rng = prng(provider === "sqlite" ? 99 : 77);
      for (let i = 0; i < overHttp; i++) {
        const { body, headers } = makeCase(seeds, rng, key);
        const res = await fetch(`${server.url}/v1/traces`, { method: "POST", body: new Uint8Array(body), headers });
        await res.arrayBuffer();
        expect(ALLOWED.has(res.status), `case ${i}: ${res.status}`).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
