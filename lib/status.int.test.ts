// GET /api/v1/status figures from a real database: scored spans come from span_scores, the lag from
// the scorer's partition cursors.
import { afterEach, describe, expect, it } from "vitest";
import { generateWorkload } from "@/bench/generator/generate-workload";
import { ingestAll } from "@/bench/generator/ingest-workload";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { readProjectStatus } from "./status";

const traces = generateWorkload({ seed: 3, traces: 120, startMs: Date.UTC(2026, 10, 20), durationMs: 3_600_000, warmupFraction: 1, anomalyRate: 0, incidentsPerClass: 0, incidentMs: 300_000 }).traces;

async function drain(scorer: Scorer, now: Date): Promise<void> {
  for (let i = 0; i < 1000; i++) if ((await scorer.tick(now)).processed === 0) return;
  throw new Error("scorer never went idle");
}

describe.each(PROVIDERS)("project status on %s", (provider) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it.each([1, 2])("counts scored spans and the oldest unscored one with %i partition(s)", async (partitions) => {
    t = await createTestDatabase(provider);
    const projectId = (await ensureProject(t.db, "p")).id;
    const now = new Date();
    const received = now.getTime() - 30_000;
    await ingestAll({ raw: t.raw, projectId }, traces, 50, received);
    const ingested = await t.db.span.count();

    const before = await readProjectStatus(t.db, projectId, now);
    expect(before.spans).toEqual({ ingested, scored: 0, pending: ingested });
    expect(before.lag.oldestUnscoredAgeMs).toBe(30_000);

    const scorer = new Scorer(t.db, t.raw, "w", { partitions, batchSize: 200, quietMs: 0, maxWaitMs: 60_000, leaseMs: 60_000 });
    await drain(scorer, now);
    await scorer.stop();
    const after = await readProjectStatus(t.db, projectId, now);
    expect(after.spans).toEqual({ ingested, scored: ingested, pending: 0 });
    expect(after.lag).toEqual({ spans: 0, oldestUnscoredAgeMs: null });

    // A span ingested after the scorer stopped is the oldest unscored one.
    const late = { ...traces[0]!, traceId: "f".repeat(32), spans: traces[0]!.spans.map((s) => ({ ...s, traceId: "f".repeat(32) })) };
    await ingestAll({ raw: t.raw, projectId }, [late], 1, now.getTime() - 5_000);
    const behind = await readProjectStatus(t.db, projectId, now);
    expect(behind.spans.pending).toBe(late.spans.length);
    expect(behind.lag.oldestUnscoredAgeMs).toBe(5_000);
  });
});
