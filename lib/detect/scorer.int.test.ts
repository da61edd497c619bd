import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureProject } from "@/lib/auth/api-keys";
import { generateWorkload, type Workload } from "@/bench/generator/generate-workload";
import { ingestAll } from "@/bench/generator/ingest-workload";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { beat } from "@/workers/heartbeat";
import { Scorer, SCORER_WORKER } from "./scorer";
import { claimLease } from "./store-lease";
import { executorFor } from "@/lib/db/executor";

const OPTS = { partitions: 1, batchSize: 700, quietMs: 2000, maxWaitMs: 60_000, leaseMs: 60_000 };
// These tests check the pipeline's mechanics on a one-day workload, not the calibration (bench:detect
// does): a generous false-alarm budget makes every detector speak with this little history.
const SETTINGS = { detection: { falseAlertsPer10k: 1000 } };
const RECEIVED = Date.now() - 120_000;

function workload(): Workload {
  return generateWorkload({ seed: 5, traces: 2500, startMs: Date.UTC(2026, 10, 20), durationMs: 86_400_000, warmupFraction: 0.4, anomalyRate: 0.01, incidentsPerClass: 0, incidentMs: 300_000 });
}

async function drain(scorer: Scorer): Promise<number> {
  let total = 0;
  for (let i = 0; i < 10_000; i++) {
    const r = await scorer.tick();
    if (r.processed === 0) return total;
    total += r.processed;
  }
  throw new Error("scorer never went idle");
}

async function dedupKeys(t: TestDatabase): Promise<string[]> {
  return (await t.db.anomaly.findMany({ select: { dedupKey: true }, orderBy: { dedupKey: "asc" } })).map((a) => a.dedupKey);
}

describe.each(PROVIDERS)("scorer on %s", (provider) => {
  const w = workload();
  // On a request boundary (100 traces per request): both databases then hold the spans in the same order.
  const half = Math.floor(w.traces.length / 200) * 100;
  let a: TestDatabase;
  let b: TestDatabase;
  let projectA: string;
  let projectB: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(provider), createTestDatabase(provider)]);
    projectA = (await ensureProject(a.db, "p")).id;
    projectB = (await ensureProject(b.db, "p")).id;
    await a.db.project.update({ where: { id: projectA }, data: { settings: SETTINGS } });
    await b.db.project.update({ where: { id: projectB }, data: { settings: SETTINGS } });
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  it("scores every span and completed trace, records anomalies, alerts and state in one pass", async () => {
    await ingestAll({ raw: a.raw, projectId: projectA }, w.traces, 100, RECEIVED);
    const scorer = new Scorer(a.db, a.raw, "w1", OPTS);
    await drain(scorer);
    await scorer.stop();
    const spans = await a.db.span.count();
    expect(await a.db.spanScore.count()).toBe(spans);
    expect(await a.db.trace.count({ where: { scoredSeq: null } })).toBe(0);
    const maxSeq = (await a.db.span.aggregate({ _max: { seq: true } }))._max.seq!;
    expect((await a.db.workerCursor.findUniqueOrThrow({ where: { name: "scorer:p0of1" } })).position).toBe(maxSeq);
    expect(spans).toBeGreaterThan(10_000);
    const detectors = new Set((await a.db.anomaly.findMany({ select: { detector: true } })).map((x) => x.detector));
    for (const d of ["latency", "tokens", "cost", "transition", "loop", "chain_length"]) expect(detectors).toContain(d);
    expect(await a.db.anomaly.count({ where: { alertId: null } })).toBe(0);
    expect(await a.db.alert.count()).toBeGreaterThan(0);
    expect(await a.db.detectorState.count({ where: { key: { startsWith: "scorer:p0of1|span|" } } })).toBeGreaterThan(10);
    const anomalous = await a.db.trace.findFirstOrThrow({ where: { anomalyCount: { gt: 0 } }, orderBy: { anomalyScore: "desc" } });
    expect(anomalous.anomalyScore).toBeGreaterThanOrEqual(0.5);
    // A point anomaly (not a level shift or a variance change, which say "since"), the strongest first.
    const one = await a.db.anomaly.findFirstOrThrow({
      where: { detector: "latency", NOT: { explanation: { contains: " since " } } },
      orderBy: [{ score: "desc" }, { id: "asc" }],
    });
    // A spike reads "latency X vs usual Y (p99 Z)", a drop "latency only X vs usual Y (p1 Z)".
    expect(one.explanation).toMatch(/^latency (only )?.* vs usual .* \((p99|p1) .*\) for .* \/ /);
    expect(one.fingerprint).toBe(`${projectA}:latency:${one.entity}`);
  });

  it("a restart with fresh memory continues from persisted state and finds exactly the same anomalies", async () => {
    await ingestAll({ raw: b.raw, projectId: projectB }, w.traces.slice(0, half), 100, RECEIVED);
    const first = new Scorer(b.db, b.raw, "w1", OPTS);
    await drain(first);
    await first.stop();
    await ingestAll({ raw: b.raw, projectId: projectB }, w.traces.slice(half), 100, RECEIVED);
    const second = new Scorer(b.db, b.raw, "w2", OPTS);
    await drain(second);
    await second.stop();
    const keysA = (await dedupKeys(a)).map((k) => k.replace(projectA, "P"));
    const keysB = (await dedupKeys(b)).map((k) => k.replace(projectB, "P"));
    expect(keysB.length).toBeGreaterThan(50);
    expect(keysB).toEqual(keysA);
  });

  it("a late span re-scores its trace without learning it twice", async () => {
    const trace = await b.db.trace.findFirstOrThrow({ where: { spanCount: { gt: 3 } }, orderBy: { startNs: "desc" } });
    const runsBefore = await b.db.detectorState.findMany({ where: { detector: "chain" } });
    const late = w.traces.find((t) => t.traceId === trace.traceId)!;
    const extra = { ...late, spans: [{ ...late.spans[0]!, spanId: "feedfacecafebeef", parentSpanId: late.spans.at(-1)!.spanId }] };
    await ingestAll({ raw: b.raw, projectId: projectB }, [extra], 1, RECEIVED);
    const scorer = new Scorer(b.db, b.raw, "w3", OPTS);
    await drain(scorer);
    await scorer.stop();
    const after = await b.db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId: projectB, traceId: trace.traceId } } });
    expect(after.scoredSeq).toBe(after.lastSeq);
    expect(after.lastSeq).toBeGreaterThan(trace.lastSeq);
    const runs = (rows: typeof runsBefore) => rows.reduce((n, r) => n + (r.state as { runs: number }).runs, 0);
    expect(runs(await b.db.detectorState.findMany({ where: { detector: "chain" } }))).toBe(runs(runsBefore));
  });

  it("a worker whose lease was taken over cannot commit, and the new owner continues", async () => {
    await ingestAll({ raw: b.raw, projectId: projectB }, generateWorkload({ ...w.options, seed: 9, traces: 200, startMs: w.options.startMs + w.options.durationMs }).traces, 100, RECEIVED);
    const stale = new Scorer(b.db, b.raw, "stale", { ...OPTS, leaseMs: 1 });
    const before = await b.db.workerCursor.findUniqueOrThrow({ where: { name: "scorer:p0of1" } });
    // The stale worker claims, then its lease expires and another worker takes the partition.
    expect(await claimLease(executorFor(b.raw), "scorer:p0of1", "stale", new Date(Date.now() - 10_000), 1)).not.toBeNull();
    expect(await claimLease(executorFor(b.raw), "scorer:p0of1", "fresh", new Date(), 60_000)).toBe(Number(before.position));
    const r = await stale.tick();
    expect(r.processed).toBe(0);
    expect((await b.db.workerCursor.findUniqueOrThrow({ where: { name: "scorer:p0of1" } })).leaseOwner).toBe("fresh");
    const fresh = new Scorer(b.db, b.raw, "fresh", OPTS);
    expect(await drain(fresh)).toBeGreaterThan(0);
    await fresh.stop();
    expect(await b.db.spanScore.count()).toBe(await b.db.span.count());
  });

  it("takes a fair share of the partitions by the live scorer heartbeats", async () => {
    // This process and two others (in production, workers/runtime.ts beats for each).
    const [self, ...others] = [1, 2, 3].map((pid) => ({ id: `${SCORER_WORKER}@host:${pid}`, name: SCORER_WORKER, host: "host", pid }));
    for (const s of [self!, ...others]) await beat(b.db, s, new Date(), null);
    // A dead scorer (no beat for a long time) and another worker do not count.
    await b.db.workerHeartbeat.create({ data: { id: "scorer@gone:3", name: SCORER_WORKER, host: "gone", pid: 3, startedAt: new Date(0), beatAt: new Date(Date.now() - 120_000) } });
    await beat(b.db, { id: "notifier@other:4", name: "notifier", host: "other", pid: 4 }, new Date(), null);
    const scorer = new Scorer(b.db, b.raw, "sharing", { ...OPTS, partitions: 6 });
    await scorer.tick();
    // Three live scorers on 6 partitions.
    expect(scorer.heldPartitions()).toHaveLength(2);
    // The others stop; this one has beaten recently (its runtime keeps it fresh).
    await b.db.workerHeartbeat.deleteMany({ where: { id: { in: others.map((o) => o.id) } } });
    await beat(b.db, self!, new Date(), null);
    await scorer.tick(new Date(Date.now() + OPTS.leaseMs / 3));
    expect(scorer.heldPartitions()).toHaveLength(6);
    await scorer.stop();
    await b.db.workerHeartbeat.deleteMany();
    expect(await b.db.workerCursor.count({ where: { leaseOwner: "sharing" } })).toBe(0);
  });
});
