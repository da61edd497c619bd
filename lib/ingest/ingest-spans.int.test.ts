import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PRICES } from "../pricing/load-prices";
import { addHistogram, histogramPercentile, type HistCounts } from "../queries/latency";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { decodedSpansOf as decode } from "@/tests/helpers/span-rows";
import { collected } from "@/tests/helpers/collect-garbage";
import { inProcessSpanWriter, ingestSpans, SpanWriter } from "./ingest-spans";
import { committedSeqLimit } from "./seq-lock";
import { traceBucket } from "./span-row";
import type { WriteResult } from "./write-result";

describe.each(PROVIDERS)("ingestSpans on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  // One writer for the database, as a server has: concurrent requests share its group commit.
  let writer: SpanWriter;
  const ingest = (spans: FixtureSpan[], receivedMs = 1_750_000_000_000) =>
    ingestSpans(decode(spans), { writer, projectId, prices: DEFAULT_PRICES, receivedMs });
  const spansOf = (traceId: string) => t.db.span.findMany({ where: { projectId, traceId }, orderBy: { seq: "asc" } });
  const traceOf = (traceId: string) => t.db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId, traceId } } });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    writer = inProcessSpanWriter(t.raw);
    projectId = (await t.db.project.create({ data: { name: "ingest" } })).id;
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("stores every field and the trace totals", async () => {
    const trace = agentTrace();
    trace[1]!.attributes = { ...trace[1]!.attributes, flag: false, zero: 0, ratio: 0.5, tags: ["a", "b"] };
    trace[1]!.events = [{ name: "retry", timeNs: trace[1]!.startNs + 5n, attributes: { attempt: 0 } }];
    const result = await ingest(trace, 1_750_000_000_123);
    expect(result).toEqual({ inserted: 3, duplicates: 0, agentUpdates: 0 });

    const [root, llm, tool] = await spansOf(trace[0]!.traceId);
    expect(llm).toMatchObject({
      traceId: trace[0]!.traceId, spanId: trace[1]!.spanId, parentSpanId: trace[0]!.spanId, bucket: traceBucket(trace[0]!.traceId),
      name: "chat gpt-4o", kind: "llm", otelKind: 3, service: "checkout", agent: "planner", step: "chat gpt-4o", model: "gpt-4o",
      operation: "chat", startNs: trace[1]!.startNs, endNs: trace[1]!.endNs, durationMs: 1199.999, statusCode: 0, inputTokens: 1000,
      outputTokens: 200, costSource: "price_table", receivedMs: 1_750_000_000_123n, scope: "test-scope",
    });
    expect(llm!.costUsd).toBeCloseTo(0.0045, 10);
    expect(llm!.attributes).toMatchObject({ flag: false, zero: 0, ratio: 0.5, tags: ["a", "b"], "gen_ai.usage.input_tokens": 1000 });
    expect(llm!.events).toEqual([{ name: "retry", timeUnixNano: (trace[1]!.startNs + 5n).toString(), attributes: { attempt: 0 } }]);
    expect(llm!.resource).toEqual({ "service.name": "checkout" });
    expect(root).toMatchObject({ kind: "agent", agent: "planner", parentSpanId: null });
    expect(tool).toMatchObject({ kind: "tool", step: "search", agent: "planner", statusCode: 2, statusMessage: "timeout" });
    expect(tool!.argsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(root!.seq < llm!.seq && llm!.seq < tool!.seq).toBe(true);

    expect(await traceOf(trace[0]!.traceId)).toMatchObject({
      rootSpanId: trace[0]!.spanId, name: "invoke_agent planner", service: "checkout", agent: "planner", startNs: trace[0]!.startNs,
      endNs: trace[0]!.endNs, durationMs: 3000, spanCount: 3, errorCount: 1, inputTokens: 1000, outputTokens: 200,
      containerInputTokens: 0, lastSeq: tool!.seq, lastReceivedMs: 1_750_000_000_123n,
    });
  });

  it("stores a span sent twice once and does not double count it", async () => {
    const trace = agentTrace();
    await ingest(trace);
    const again = await ingest([...trace, { ...trace[1]! }]);
    expect(again).toMatchObject({ inserted: 0, duplicates: 3 });
    expect(await spansOf(trace[0]!.traceId)).toHaveLength(3);
    expect(await traceOf(trace[0]!.traceId)).toMatchObject({ spanCount: 3, inputTokens: 1000, errorCount: 1 });
  });

  it("keeps totals right when the root arrives after its children, and counts container usage apart", async () => {
    const [root, llm, tool] = agentTrace();
    root!.attributes = { ...root!.attributes, "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 200 };
    await ingest([llm!], 1_750_000_000_001);
    expect(await traceOf(llm!.traceId)).toMatchObject({ rootSpanId: null, name: "chat gpt-4o", spanCount: 1, inputTokens: 1000 });
    await ingest([tool!], 1_750_000_000_002);
    await ingest([root!], 1_750_000_000_003);
    const spans = await spansOf(llm!.traceId);
    expect(await traceOf(llm!.traceId)).toMatchObject({
      rootSpanId: root!.spanId, name: "invoke_agent planner", agent: "planner", spanCount: 3, errorCount: 1, inputTokens: 1000,
      outputTokens: 200, containerInputTokens: 1000, containerOutputTokens: 200, startNs: root!.startNs, endNs: root!.endNs,
      durationMs: 3000, lastSeq: spans[2]!.seq, lastReceivedMs: 1_750_000_000_003n,
    });
  });

  it("gives stored descendants the agent of a parent that arrives later, but not past a nested agent", async () => {
    const traceId = hex(16);
    const ids = { root: hex(8), child: hex(8), grandchild: hex(8), nested: hex(8), nestedChild: hex(8) };
    const start = 1_700_000_000_000_000_000n;
    const s = (spanId: string, parentSpanId: string | undefined, attributes: Record<string, string> = {}): FixtureSpan =>
      ({ traceId, spanId, parentSpanId, name: `op-${spanId.slice(0, 4)}`, startNs: start, endNs: start + 10n, attributes });
    await ingest([s(ids.grandchild, ids.child), s(ids.nestedChild, ids.nested)]);
    await ingest([s(ids.child, ids.root), s(ids.nested, ids.child, { "gen_ai.agent.name": "helper", "gen_ai.operation.name": "invoke_agent" })]);
    const before = Object.fromEntries((await spansOf(traceId)).map((x) => [x.spanId, x.agent]));
    expect(before).toEqual({ [ids.grandchild]: null, [ids.nestedChild]: "helper", [ids.child]: null, [ids.nested]: "helper" });

    const result = await ingest([s(ids.root, undefined, { "gen_ai.agent.name": "boss", "gen_ai.operation.name": "invoke_agent" })]);
    expect(result.agentUpdates).toBe(2);
    const after = Object.fromEntries((await spansOf(traceId)).map((x) => [x.spanId, x.agent]));
    expect(after).toEqual({ [ids.grandchild]: "boss", [ids.nestedChild]: "helper", [ids.child]: "boss", [ids.nested]: "helper", [ids.root]: "boss" });

    await ingest([s(hex(8), ids.grandchild)]);
    expect((await spansOf(traceId)).at(-1)!.agent).toBe("boss");
  });

  it("maintains per-minute rollups with a latency histogram", async () => {
    const minute = 1_800_000_000_000_000_000n - (1_800_000_000_000_000_000n % 60_000_000_000n);
    const span = (ms: number): FixtureSpan => ({
      traceId: hex(16), spanId: hex(8), name: "chat", startNs: minute + 1_000n, endNs: minute + 1_000n + BigInt(ms) * 1_000_000n,
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "rollup-model", "gen_ai.usage.input_tokens": 10 },
    });
    await ingest([span(100), span(100)]);
    await ingest([span(100), span(8000)]);
    const rollup = await t.db.spanRollup.findFirstOrThrow({ where: { projectId, model: "rollup-model" } });
    expect(rollup).toMatchObject({ minuteMs: minute / 1_000_000n, service: "checkout", agent: "", kind: "llm", spanCount: 4, inputTokens: 40, durationMsSum: 8300 });
    const hist = rollup.latencyHist as Record<string, number>;
    expect(Object.values(hist).reduce((a, b) => a + b, 0)).toBe(4);
    const counts: HistCounts = new Map();
    addHistogram(counts, hist);
    expect(histogramPercentile(counts, 0.5)).toBeGreaterThanOrEqual(100);
    expect(histogramPercentile(counts, 1)).toBeGreaterThanOrEqual(8000);
  });

  // SQLite has one writer, so a batch's seqs are contiguous and in commit order. PostgreSQL writes
  // batches side by side and their seqs may interleave; what keeps scorers from skipping a late commit is
  // the committed limit (seq-lock.ts, tested in seq-lock.int.test.ts).
  it("keeps seq safe for scorers under concurrent batches: SQLite without interleaving, PostgreSQL below the committed limit", async () => {
    const ranges = await seqRangesOfConcurrentBatches();
    if (t.raw.provider === "sqlite") {
      for (const [lo, hi] of ranges) {
        expect(hi - lo).toBe(8);
        for (const [lo2, hi2] of ranges) if (lo2 !== lo) expect(hi2 < lo || lo2 > hi).toBe(true);
      }
      return;
    }
    const seqs = await t.db.span.findMany({ where: { projectId }, select: { seq: true } });
    expect(new Set(seqs.map((r) => r.seq)).size).toBe(seqs.length);
    const limit = await committedSeqLimit(t.raw.pool);
    for (const [, hi] of ranges) expect(hi).toBeLessThanOrEqual(limit);
  });

  /** Eight batches of 9 spans ingested at once; each batch's lowest and highest seq. */
  async function seqRangesOfConcurrentBatches(): Promise<(readonly [number, number])[]> {
    const batches = Array.from({ length: 8 }, () => Array.from({ length: 3 }, () => agentTrace()).flat());
    await Promise.all(batches.map((b) => ingest(b)));
    return Promise.all(
      batches.map(async (b) => {
        const rows = await t.db.span.findMany({ where: { projectId, spanId: { in: b.map((x) => x.spanId) } }, select: { seq: true } });
        expect(rows).toHaveLength(9);
        const seqs = rows.map((r) => Number(r.seq)).sort((x, y) => x - y);
        return [seqs[0]!, seqs.at(-1)!] as const;
      }),
    );
  }
});

describe("ingestSpans while the commit is awaited", () => {
  let t: TestDatabase;
  afterAll(async () => {
    await t?.cleanup();
  });

  it("keeps no reference to the rows it handed to the writer", async () => {
    t = await createTestDatabase("sqlite");
    let handed: WeakRef<object> | undefined;
    let commit!: (results: WriteResult[]) => void;
    // A writer like the writer thread's: it copies the rows away and answers after its commit.
    const writer = new SpanWriter("sqlite", (batches) => {
      handed = new WeakRef(batches[0]!);
      return new Promise((resolve) => (commit = resolve));
    }, Number.POSITIVE_INFINITY);
    const answer = ingestSpans(decode(agentTrace()), { writer, projectId: "p", prices: DEFAULT_PRICES, receivedMs: 1_750_000_000_000 });
    expect(await collected(handed!)).toBe(true);
    commit([{ inserted: 3, duplicates: 0, agentUpdates: 0 }]);
    expect(await answer).toEqual({ inserted: 3, duplicates: 0, agentUpdates: 0 });
  });
});
