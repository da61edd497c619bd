// The change detectors watch the first call of a step in each trace. That call must be the first one
// made, whatever order the exporter delivered the trace's spans in.
import { describe, expect, it } from "vitest";
import { ensureProject } from "@/lib/auth/api-keys";
import { AGENTS } from "@/bench/generator/agents";
import type { GenSpan, GenTrace } from "@/bench/generator/generate-workload";
import { ingestAll, ingestTraces } from "@/bench/generator/ingest-workload";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { Scorer } from "./scorer";

const OPTS = { partitions: 1, batchSize: 5000, quietMs: 0, maxWaitMs: 60_000, leaseMs: 60_000 };
const T0 = Date.UTC(2026, 10, 20);
const agent = AGENTS[0]!;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** One run: the agent span and two LLM calls, the first answering `first` tokens, the second `second`. */
function run(i: number, first: number, second: number): { agentSpan: GenSpan; calls: [GenSpan, GenSpan]; trace: Omit<GenTrace, "spans"> } {
  const traceId = hex(i + 1, 32);
  const rootId = hex(i + 1, 16);
  const startMs = T0 + i * 60_000;
  const llm = (k: number, outputTokens: number): GenSpan => ({
    traceId, spanId: hex((i + 1) * 4 + k, 16), parentSpanId: rootId, kind: "llm", name: `chat ${agent.model.name}`,
    startMs: startMs + 10 + k * 2000, endMs: startMs + 10 + k * 2000 + 1500, error: false, inputTokens: 800, outputTokens, costUsd: 0.001,
  });
  const agentSpan: GenSpan = { traceId, spanId: rootId, parentSpanId: null, kind: "agent", name: `invoke_agent ${agent.name}`, startMs, endMs: startMs + 4000, error: false };
  return { agentSpan, calls: [llm(0, first), llm(1, second)], trace: { traceId, agent, startMs, endMs: startMs + 4000, label: null } };
}

/** Ticks until `spans` spans of the trace are scored (PostgreSQL's scorer reads up to a cached commit limit, so an idle tick is not the end). */
async function scoreUntil(scorer: Scorer, t: TestDatabase, traceId: string, spans: number, now?: () => Date): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await scorer.tick(now?.())).processed > 0) continue;
    const scored = await t.db.spanScore.count({ where: { seq: { in: (await t.db.span.findMany({ where: { traceId }, select: { seq: true } })).map((s) => s.seq) } } });
    if (scored >= spans) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the scorer did not score ${spans} spans of ${traceId}`);
}

/** Ticks until the scorer has read a new span (held or scored). */
async function readFirstExport(scorer: Scorer, now: Date): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await scorer.tick(now)).processed > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the scorer did not read the first export");
}

describe.each(PROVIDERS)("span order on %s", (provider) => {
  it("a trace's first call is the first one made, even when it arrived alone, before its agent span and a later call", async () => {
    const t = await createTestDatabase(provider);
    try {
      const projectId = (await ensureProject(t.db, "p")).id;
      // History: 80 runs whose two calls answer about 100 tokens each.
      const history = Array.from({ length: 80 }, (_, i) => {
        const r = run(i, 95 + (i % 11), 95 + ((i * 7) % 11));
        return { ...r.trace, spans: [...r.calls, r.agentSpan] };
      });
      const received = Date.now() - 60_000;
      await ingestAll({ raw: t.raw, projectId }, history, 20, received);
      // The run under test: a short first answer exported alone (its agent span not yet ended), then a
      // long second answer exported with the agent span.
      const r = run(80, 5, 2000);
      // The scorer reads the first export before the second arrives, so it holds that call for its agent.
      const scorer = new Scorer(t.db, t.raw, "w1", OPTS);
      await ingestTraces({ raw: t.raw, projectId }, [{ ...r.trace, spans: [r.calls[0]] }], Date.now());
      await scoreUntil(scorer, t, history[79]!.traceId, 3);
      await ingestTraces({ raw: t.raw, projectId }, [{ ...r.trace, spans: [r.calls[1], r.agentSpan] }], Date.now());
      await scoreUntil(scorer, t, r.trace.traceId, 3);
      await scorer.stop();

      const row = await t.db.detectorState.findFirstOrThrow({ where: { detector: "span", entity: { endsWith: `/${agent.name}/chat ${agent.model.name}/${agent.model.name}` } } });
      const state = row.state as { outputTokens: { n: number; changes: { lastLevelScore: number } } };
      expect(state.outputTokens.n).toBe(162);
      // The change detectors last saw the short first answer (far below usual), not the long second one.
      expect(state.outputTokens.changes.lastLevelScore).toBeLessThan(-2);
    } finally {
      await t.cleanup();
    }
  });

  it.each([
    { gapMs: 190_000, name: "minutes after a first export is one run of its agent, not a fragment without one" },
    { gapMs: 700_000, name: "later than spans are held (10 max waits) still keys its first spans by the agent its steps are learned under" },
  ])("a run whose agent span ends $name", async ({ gapMs }) => {
    const t = await createTestDatabase(provider);
    try {
      const projectId = (await ensureProject(t.db, "p")).id;
      const base = Date.now();
      const history = Array.from({ length: 40 }, (_, i) => {
        const r = run(i, 95 + (i % 11), 95 + ((i * 7) % 11));
        return { ...r.trace, spans: [...r.calls, r.agentSpan] };
      });
      await ingestAll({ raw: t.raw, projectId }, history, 20, base);
      const scorer = new Scorer(t.db, t.raw, "w1", OPTS);
      await scoreUntil(scorer, t, history[39]!.traceId, 3, () => new Date(base + 1000));

      // The long run: its first call exported alone, then three minutes without an export (a tool
      // running), then the second call with the agent span.
      const r = run(40, 100, 100);
      await ingestTraces({ raw: t.raw, projectId }, [{ ...r.trace, spans: [r.calls[0]] }], base + 10_000);
      await readFirstExport(scorer, new Date(base + 11_000));
      for (const at of [100_000, gapMs / 2, gapMs]) await scorer.tick(new Date(base + at));
      await ingestTraces({ raw: t.raw, projectId }, [{ ...r.trace, spans: [r.calls[1], r.agentSpan] }], base + gapMs + 10_000);
      await scoreUntil(scorer, t, r.trace.traceId, 3, () => new Date(base + gapMs + 11_000));
      await scorer.tick(new Date(base + gapMs + 12_000));
      await scorer.stop();

      const rows = await t.db.detectorState.findMany({ where: { detector: { in: ["span", "chain"] } }, select: { detector: true, entity: true, state: true } });
      expect(rows.filter((r) => r.entity.split("/")[1] === "-").map((r) => r.entity)).toEqual([]);
      const chain = rows.find((r) => r.detector === "chain" && r.entity.endsWith(`/${agent.name}`));
      // Within the hold the run is learned once, whole; beyond it, its first part was learned as the run.
      expect((chain?.state as { runs: number } | undefined)?.runs).toBe(41);
    } finally {
      await t.cleanup();
    }
  });
});
