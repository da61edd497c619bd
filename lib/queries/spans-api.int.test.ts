// GET /api/v1/spans over real HTTP against both databases: filters, keyset pagination without repeats or
// gaps, scores and span-level anomalies, 400s for bad parameters, and project isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as spansRoute } from "@/app/api/v1/spans/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { ingestSpans } from "@/lib/ingest/ingest-spans";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { serveHandler } from "@/tests/helpers/serve-handler";
import { decodedSpansOf } from "@/tests/helpers/span-rows";
import type { SpanListItem } from "./list-spans";

const BASE_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const TRACES = 40;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const RANGE = `from=${BASE_MS - 60_000}&to=${BASE_MS + 3600_000}`;

interface Page {
  items: SpanListItem[];
  nextCursor: string | null;
  range: { fromMs: number; toMs: number };
}

/** Trace i starts 20 s after trace i-1 (three traces per minute); even traces are "checkout", odd "billing". */
function traceOf(i: number): FixtureSpan[] {
  return agentTrace(hex(16), ns(BASE_MS + i * 20_000));
}

describe.each(PROVIDERS)("GET /api/v1/spans on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let keyA: string;
  let keyB: string;
  let projectA: string;
  const traces = Array.from({ length: TRACES }, (_, i) => traceOf(i));
  const traceB = agentTrace(hex(16), ns(BASE_MS + 60_000));
  const recentB = agentTrace(hex(16), ns(Date.now() - 3600_000));
  const get = async (query: string, key = keyA) => fetch(`${server.url}/api/v1/spans?${query}`, { headers: { authorization: `Bearer ${key}` } });
  const page = async (query: string, key = keyA): Promise<Page> => {
    const res = await get(query, key);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Page;
  };

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    projectA = (await t.db.project.create({ data: { name: "a" } })).id;
    const projectB = (await t.db.project.create({ data: { name: "b" } })).id;
    keyA = (await createApiKey(t.db, projectA, "reader-a", ["read"])).key;
    keyB = (await createApiKey(t.db, projectB, "reader-b", ["read"])).key;
    const ingest = (projectId: string, spans: FixtureSpan[], service: string) =>
      ingestSpans(decodedSpansOf(spans, { "service.name": service }), { raw: t.raw, projectId, prices: DEFAULT_PRICES, receivedMs: Date.now() });
    // Later traces first: ingestion order (seq) differs from time order.
    for (let i = TRACES - 1; i >= 0; i--) await ingest(projectA, traces[i]!, i % 2 === 0 ? "checkout" : "billing");
    await ingest(projectB, [...traceB, ...recentB], "secret-b");

    // Scores for every span of A but trace 0's; two anomalies on one span, one trace-level anomaly.
    const spans = await t.db.span.findMany({ where: { projectId: projectA }, select: { seq: true, traceId: true } });
    const unscored = traces[0]![0]!.traceId;
    await t.db.spanScore.createMany({ data: spans.filter((s) => s.traceId !== unscored).map((s) => ({ seq: s.seq, projectId: projectA, score: Number(s.seq % 10n) / 10 })) });
    const tool = traces[3]![2]!;
    const toolSeq = (await t.db.span.findFirstOrThrow({ where: { projectId: projectA, spanId: tool.spanId } })).seq;
    const anomaly = (n: number, spanId: string | null, score: number) => ({
      projectId: projectA, traceId: tool.traceId, spanId, spanSeq: spanId ? toolSeq : null, detector: "latency", metric: `m${n}`, entity: "e",
      score, severity: "high", explanation: `explanation ${n}`, fingerprint: "fp", dedupKey: `d${n}`,
    });
    await t.db.anomaly.createMany({ data: [anomaly(1, tool.spanId, 0.8), anomaly(2, tool.spanId, 0.95), anomaly(3, null, 0.99)] });
    server = await serveHandler((req) => spansRoute(req));
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("pages through every span in (start minute, ingestion) order without repeats or gaps", async () => {
    const seen: SpanListItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: Page = await page(`${RANGE}&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      expect(body.items.length).toBeLessThanOrEqual(7);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil((TRACES * 3) / 7));
    expect(new Set(seen.map((s) => s.spanId)).size).toBe(TRACES * 3);
    expect(new Set(seen.map((s) => s.spanId))).toEqual(new Set(traces.flat().map((s) => s.spanId)));
    const minutes = seen.map((s) => Math.floor(Date.parse(s.startTime) / 60_000));
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
  });

  it("returns the span's fields, with exact nanosecond times", async () => {
    const [root, llm, tool] = traces[3]!;
    const { items } = await page(`${RANGE}&traceId=${root!.traceId.toUpperCase()}`);
    expect(items.map((s) => s.spanId).sort()).toEqual([root!.spanId, llm!.spanId, tool!.spanId].sort());
    const got = items.find((s) => s.spanId === llm!.spanId)!;
    expect(got).toMatchObject({
      traceId: root!.traceId, parentSpanId: root!.spanId, name: "chat gpt-4o", kind: "llm", service: "billing", agent: "planner", step: "chat gpt-4o", model: "gpt-4o",
      startTimeUnixNano: llm!.startNs.toString(), endTimeUnixNano: llm!.endNs.toString(), startTime: new Date(BASE_MS + 60_000).toISOString(),
      durationMs: 1199.999, statusCode: 0, statusMessage: null, inputTokens: 1000, outputTokens: 200,
    });
    expect(got.costUsd).toBeGreaterThan(0);
    expect(items.find((s) => s.spanId === tool!.spanId)).toMatchObject({ kind: "tool", step: "search", statusCode: 2, statusMessage: "timeout", inputTokens: null, costUsd: null });
  });

  it("gives each span its score (null until scored) and its own anomalies, highest score first", async () => {
    const { items } = await page(`${RANGE}&limit=5000`);
    const unscored = items.filter((s) => s.score === null);
    expect(unscored.map((s) => s.traceId)).toEqual(Array(3).fill(traces[0]![0]!.traceId));
    expect(items.filter((s) => s.score !== null).every((s) => s.score! >= 0 && s.score! <= 1)).toBe(true);
    const tool = items.find((s) => s.spanId === traces[3]![2]!.spanId)!;
    expect(tool.anomalies).toEqual([
      { id: expect.any(String), detector: "latency", metric: "m2", score: 0.95, severity: "high", explanation: "explanation 2" },
      { id: expect.any(String), detector: "latency", metric: "m1", score: 0.8, severity: "high", explanation: "explanation 1" },
    ]);
    expect(items.filter((s) => s.anomalies.length > 0)).toHaveLength(1);
  });

  it.each([
    ["service", "service=checkout", (s: SpanListItem) => s.service === "checkout", (TRACES / 2) * 3],
    ["agent", "agent=planner", (s: SpanListItem) => s.agent === "planner", TRACES * 3],
    ["step", "step=search", (s: SpanListItem) => s.step === "search", TRACES],
    ["kind", "kind=llm", (s: SpanListItem) => s.kind === "llm", TRACES],
    ["model", "model=gpt-4o", (s: SpanListItem) => s.model === "gpt-4o", TRACES],
    ["status error", "status=error", (s: SpanListItem) => s.statusCode === 2, TRACES],
    ["status ok", "status=ok", (s: SpanListItem) => s.statusCode !== 2, TRACES * 2],
    ["minimum score", "minScore=0.7", (s: SpanListItem) => s.score !== null && s.score >= 0.7, null],
    ["service and kind", "service=billing&kind=tool", (s: SpanListItem) => s.service === "billing" && s.kind === "tool", TRACES / 2],
    ["a service nobody uses", "service=nope", () => false, 0],
  ])("filters by %s", async (_name, filter, predicate, expected) => {
    const all = (await page(`${RANGE}&limit=5000`)).items;
    const { items } = await page(`${RANGE}&limit=5000&${filter}`);
    expect(items.map((s) => s.spanId).sort()).toEqual(all.filter(predicate).map((s) => s.spanId).sort());
    if (expected !== null) expect(items).toHaveLength(expected);
    else expect(items.length).toBeGreaterThan(0);
  });

  it("filters by span start time: from inclusive, to exclusive, to the nanosecond", async () => {
    // Traces 3..5 start at +60 s, +80 s, +100 s; their spans start at, or within 1.3 s after, those times.
    const { items } = await page(`from=${BASE_MS + 60_000}&to=${BASE_MS + 100_000}&limit=5000`);
    expect(new Set(items.map((s) => s.traceId))).toEqual(new Set([traces[3]![0]!.traceId, traces[4]![0]!.traceId]));
    expect(items).toHaveLength(6);
  });

  it("pages with filters and a range across minutes", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const body: Page = await page(`${RANGE}&kind=tool&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      ids.push(...body.items.map((s) => s.spanId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids.sort()).toEqual(traces.map((tr) => tr[2]!.spanId).sort());
  });

  it("defaults to the last 24 hours and 100 spans per page", async () => {
    const body = await page("", keyB);
    expect(body.items.map((s) => s.traceId)).toEqual(Array(3).fill(recentB[0]!.traceId));
    expect(body.range.toMs - body.range.fromMs).toBe(24 * 3600_000);
    const a = await page(RANGE);
    expect(a.items).toHaveLength(100);
    expect(a.nextCursor).not.toBeNull();
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=5001", "limit"],
    ["limit=ten", "limit"],
    ["kind=robot", "kind"],
    ["traceId=xyz", "traceId"],
    ["status=maybe", "status"],
    ["minScore=1.5", "minScore"],
    ["minScore=high", "minScore"],
    ["from=-5", "from"],
    [`from=${BASE_MS}&to=${BASE_MS}`, "must be before to"],
    [`from=${Date.now() + 3600_000}`, "must be before to"],
    ["range=2d", "range"],
    ["cursor=not-a-cursor", "cursor"],
    [`cursor=${Buffer.from('["a",1]').toString("base64url")}`, "cursor"],
    [`service=${"x".repeat(300)}`, "service"],
  ])("rejects %s with a 400 that names the problem", async (query, mention) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(mention);
  });

  it("answers 401 without a key and 401 with an unknown key", async () => {
    expect((await fetch(`${server.url}/api/v1/spans`)).status).toBe(401);
    expect((await get("", "argus_not-a-real-key")).status).toBe(401);
  });

  it("never shows another project's spans, whatever the filter", async () => {
    const a = await page(`from=0&to=${Date.now() + 3600_000}&limit=5000`);
    const secret = new Set([...traceB, ...recentB].map((s) => s.spanId));
    expect(a.items.some((s) => secret.has(s.spanId) || s.service === "secret-b")).toBe(false);
    expect((await page(`${RANGE}&traceId=${traceB[0]!.traceId}`)).items).toEqual([]);
    expect((await page(`${RANGE}&service=secret-b`)).items).toEqual([]);
    const b = await page(`from=0&to=${Date.now() + 3600_000}&limit=5000`, keyB);
    expect(b.items.map((s) => s.spanId).sort()).toEqual([...secret].sort());
    expect(b.items.every((s) => s.anomalies.length === 0 && s.score === null)).toBe(true);
  });
});
