// Real worker processes: kill -9 at random moments, then restart (no anomaly lost or duplicated), and
// three workers sharing partitions on PostgreSQL (no range processed twice), one of them killed.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { generateWorkload } from "@/bench/generator/generate-workload";
import { ingestAll } from "@/bench/generator/ingest-workload";
import { createTestDatabase, PROVIDERS, type Provider, type TestDatabase } from "@/tests/helpers/db";

const RECEIVED = Date.now() - 120_000;
/** Traces per ingest request (a request's spans arrive grouped by service: its boundaries set the arrival order). */
const PER_REQUEST = 100;
const workload = generateWorkload({ seed: 11, traces: 2000, startMs: Date.UTC(2026, 10, 18), durationMs: 86_400_000, warmupFraction: 0.4, anomalyRate: 0.01, incidentsPerClass: 0, incidentMs: 300_000 });

interface Worker {
  child: ChildProcess;
  commits: Array<{ partition: string; from: number; to: number; spans: number }>;
}

function startWorker(t: TestDatabase, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts", "scorer"], {
    env: { ...process.env, DATABASE_URL: t.databaseUrl, ARGUS_LOG_LEVEL: "debug", ARGUS_SCORER_LEASE_MS: "1500", ARGUS_SCORER_BATCH: "50", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const w: Worker = { child, commits: [] };
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.includes("scorer batch committed")) {
        const j = JSON.parse(line) as { partition: string; from: number; to: number; spans: number };
        w.commits.push({ partition: j.partition, from: Number(j.from), to: Number(j.to), spans: j.spans });
      }
    }
  });
  child.stderr!.on("data", () => {});
  return w;
}

async function stop(w: Worker, signal: NodeJS.Signals): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once("exit", r));
  w.child.kill(signal);
  await exited;
}

async function waitUntil(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function allDone(t: TestDatabase): Promise<boolean> {
  const [spans, scored, unscoredTraces, unlinked] = await Promise.all([
    t.db.span.count(),
    t.db.spanScore.count(),
    t.db.trace.count({ where: { scoredSeq: null } }),
    t.db.anomaly.count({ where: { alertId: null } }),
  ]);
  return spans === scored && unscoredTraces === 0 && unlinked === 0;
}

async function referenceKeys(provider: Provider, partitions: number): Promise<string[]> {
  const ref = await createTestDatabase(provider);
  try {
    const project = await ensureProject(ref.db, "p");
    await ingestAll({ raw: ref.raw, projectId: project.id }, workload.traces, PER_REQUEST, RECEIVED);
    const scorer = new Scorer(ref.db, ref.raw, "ref", { partitions, batchSize: 1000, quietMs: 2000, maxWaitMs: 60_000, leaseMs: 60_000 });
    while ((await scorer.tick()).processed > 0);
    await scorer.stop();
    return (await ref.db.anomaly.findMany({ select: { dedupKey: true } })).map((a) => a.dedupKey.replace(project.id, "P")).sort();
  } finally {
    await ref.cleanup();
  }
}

async function keysOf(t: TestDatabase, projectId: string): Promise<string[]> {
  return (await t.db.anomaly.findMany({ select: { dedupKey: true } })).map((a) => a.dedupKey.replace(projectId, "P")).sort();
}

describe.each(PROVIDERS)("scorer worker processes on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await ensureProject(t.db, "p")).id;
    await ingestAll({ raw: t.raw, projectId }, workload.traces, PER_REQUEST, RECEIVED);
  });
  afterAll(async () => t?.cleanup());

  it("kill -9 at random moments, then restart: no anomaly lost, none duplicated", async () => {
    const expected = await referenceKeys(provider, 1);
    const total = await t.db.span.count();
    const positionsAtKill: number[] = [];
    let seed = 1;
    for (let round = 0; round < 5; round++) {
      const w = startWorker(t, {});
      // On a fast machine an earlier round may already have scored everything.
      await waitUntil("the worker to commit or the work to be done", async () => w.commits.length > 0 || (await allDone(t)));
      if (w.commits.length === 0) {
        await stop(w, "SIGKILL");
        break;
      }
      seed = (seed * 48271) % 2147483647;
      await new Promise((r) => setTimeout(r, seed % 300));
      await stop(w, "SIGKILL");
      const c = await t.db.workerCursor.findUnique({ where: { name: "scorer:p0of1" } });
      positionsAtKill.push(Number(c?.position ?? 0));
    }
    const last = startWorker(t, {});
    await waitUntil("all spans, traces and alerts processed", () => allDone(t));
    await stop(last, "SIGTERM");
    const maxSeq = Number((await t.db.span.aggregate({ _max: { seq: true } }))._max.seq);
    expect(positionsAtKill.some((p) => p > 0 && p < maxSeq)).toBe(true);
    expect(await t.db.spanScore.count()).toBe(total);
    expect(await keysOf(t, projectId)).toEqual(expected);
  }, 240_000);
});

describe("three scorer workers on postgresql", () => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    projectId = (await ensureProject(t.db, "p")).id;
  });
  afterAll(async () => t?.cleanup());

  it("share 6 partitions without processing any range twice, and take over from a killed worker", async () => {
    const expected = await referenceKeys("postgresql", 6);
    const env = { ARGUS_SCORER_PARTITIONS: "6" };
    const workers = [startWorker(t, env), startWorker(t, env), startWorker(t, env)];
    // Ingest while the workers run; kill one of them halfway. The halves split at a request boundary of
    // the reference's ingestion, so that spans arrive in the same order (seq): split elsewhere, every
    // later request holds other traces, and the rate windows (event time, late spans) see another stream.
    const half = Math.floor(workload.traces.length / 2 / PER_REQUEST) * PER_REQUEST;
    await ingestAll({ raw: t.raw, projectId }, workload.traces.slice(0, half), PER_REQUEST, RECEIVED);
    await waitUntil("every worker to commit", async () => workers.every((w) => w.commits.length > 0));
    await stop(workers[0]!, "SIGKILL");
    await ingestAll({ raw: t.raw, projectId }, workload.traces.slice(half), PER_REQUEST, RECEIVED);
    await waitUntil("all spans, traces and alerts processed", () => allDone(t));
    await Promise.all(workers.slice(1).map((w) => stop(w, "SIGTERM")));

    const byPartition = new Map<string, Array<{ from: number; to: number }>>();
    for (const c of workers.flatMap((w) => w.commits)) byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), c]);
    expect(byPartition.size).toBe(6);
    for (const ranges of byPartition.values()) {
      ranges.sort((a, b) => a.from - b.from);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBeGreaterThanOrEqual(ranges[i - 1]!.to);
    }
    expect(workers.filter((w) => w.commits.length > 0).length).toBe(3);
    expect(await keysOf(t, projectId)).toEqual(expected);
  }, 240_000);
});
