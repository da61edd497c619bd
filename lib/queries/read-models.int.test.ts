import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { ingestSpans } from "@/lib/ingest/ingest-spans";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { PROFILES, generateRun, rng } from "@/scripts/seed-data";
import { agentTransitions, describeStep, listAgentSteps } from "./agents";
import { listTraces, listTraceFacets, ZTraceListQuery } from "./list-traces";
import { buildOverview } from "./overview";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const RUNS = 120;

describe.each(PROVIDERS)("dashboard read models on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "p" } })).id;
    const rand = rng(7);
    const spans = [];
    for (let i = 0; i < RUNS; i++) {
      spans.push(...generateRun({ profile: PROFILES[i % PROFILES.length]!, startMs: NOW - 3600_000 + i * 20_000, rand, incident: i === 5 ? "error" : "none" }));
    }
    await ingestSpans(spans, { raw: t.raw, projectId, prices: DEFAULT_PRICES, receivedMs: NOW });
    await t.db.trace.updateMany({ where: { projectId, agent: "support-agent" }, data: { anomalyScore: 0.2 } });
    const top = await t.db.trace.findFirstOrThrow({ where: { projectId, agent: "support-agent" }, orderBy: { startNs: "asc" } });
    await t.db.trace.update({ where: { projectId_traceId: { projectId, traceId: top.traceId } }, data: { anomalyScore: 0.9 } });
  });
  afterAll(async () => t?.cleanup());

  const q = (input: Record<string, unknown>) => ZTraceListQuery.parse({ range: "6h", ...input });

  it("pages through all traces with keyset cursors, newest first, without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let lastStart = Infinity;
    for (let page = 0; page < 10; page++) {
      const res = await listTraces(t.raw, projectId, q({ limit: 50, cursor }), NOW);
      for (const item of res.items) {
        expect(item.startMs).toBeLessThanOrEqual(lastStart);
        lastStart = item.startMs;
        seen.push(item.traceId);
      }
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    expect(seen.length).toBe(RUNS);
    expect(new Set(seen).size).toBe(RUNS);
  });

  it.each([
    ["agent", { agent: "research-agent" }, RUNS / 3],
    ["service", { service: "billing" }, RUNS / 3],
    ["model (through the spans)", { model: "gpt-4o" }, RUNS / 3],
    ["status error", { status: "error" }, 1],
    ["minimum anomaly score", { minScore: 0.5 }, 1],
    ["text search on the name", { q: "REFUND" }, RUNS / 3],
    ["a range with nothing in it", { range: "15m", to: NOW - 5 * 3600_000 }, 0],
  ])("filters by %s", async (_name, filter, expected) => {
    const res = await listTraces(t.raw, projectId, q({ limit: 200, ...filter }), NOW);
    expect(res.items.length).toBe(expected);
  });

  it("sorts by anomaly score and by cost, with stable pagination", async () => {
    const byScore = await listTraces(t.raw, projectId, q({ sort: "score", limit: 3 }), NOW);
    expect(byScore.items[0]!.anomalyScore).toBe(0.9);
    const first = await listTraces(t.raw, projectId, q({ sort: "cost", dir: "asc", limit: 60 }), NOW);
    const second = await listTraces(t.raw, projectId, q({ sort: "cost", dir: "asc", limit: 60, cursor: first.nextCursor! }), NOW);
    const costs = [...first.items, ...second.items].map((i) => i.costUsd);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(new Set([...first.items, ...second.items].map((i) => i.traceId)).size).toBe(RUNS);
  });

  it("rejects a forged cursor with a 400", async () => {
    await expect(listTraces(t.raw, projectId, q({ cursor: "nope" }), NOW)).rejects.toMatchObject({ code: "bad_request" });
  });

  it("builds the overview from rollups and traces", async () => {
    const o = await buildOverview(t.db, t.raw, projectId, { fromMs: NOW - 2 * 3600_000, toMs: NOW });
    expect(o.totals.traces).toBe(RUNS);
    expect(o.totals.agentRuns).toBe(RUNS);
    expect(o.totals.failedRuns).toBe(1);
    expect(o.totals.spans).toBeGreaterThan(RUNS * 3);
    expect(o.totals.costUsd).toBeGreaterThan(0);
    expect(o.totals.costPerSuccessfulTrace!).toBeCloseTo(o.totals.costUsd / (RUNS - 1), 9);
    expect(o.totals.p95Ms!).toBeGreaterThanOrEqual(o.totals.p50Ms!);
    expect(o.series.length).toBe((2 * 3600_000) / o.bucketMs);
    const empty = o.series.find((p) => p.spans === 0)!;
    expect(empty).toMatchObject({ tokens: 0, p95: null, errorRate: null });
    expect(o.series.reduce((s, p) => s + (p.spans ?? 0), 0)).toBe(o.totals.spans);
    expect(o.byModel.map((m) => m.model).sort()).toEqual(["claude-3-5-sonnet", "gpt-4o", "gpt-4o-mini"]);
    const refund = o.byAgent.find((a) => a.agent === "refund-agent")!;
    expect(refund.runs).toBe(RUNS / 3);
    expect(refund.costPerSuccessfulRun).toBeGreaterThanOrEqual(refund.costPerRun!);
  });

  it("lists agents, step distributions and transition tables", async () => {
    const agents = await listAgentSteps(t.raw, projectId, { fromMs: NOW - 2 * 3600_000, toMs: NOW });
    expect(agents.agents.map((a) => a.agent).sort()).toEqual(["refund-agent", "research-agent", "support-agent"]);
    const step = await describeStep(t.db, t.raw, projectId, "support-agent", "search_kb", "latency");
    expect(step.count).toBe(RUNS / 3);
    expect(step.bins.reduce((s, b) => s + b.count, 0)).toBe(RUNS / 3);
    const transitions = await agentTransitions(t.raw, projectId, "support-agent");
    expect(transitions.traces).toBe(RUNS / 3);
    expect(transitions.transitions.find((x) => x.from === "search_kb" && x.to === "lookup_order")?.probability).toBe(1);
    const facets = await listTraceFacets(t.raw, projectId, NOW - 86_400_000);
    expect(facets.services).toEqual(["billing", "checkout", "research"]);
  });
});
