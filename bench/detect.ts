// npm run bench:detect — detection quality, worker throughput and detection latency.
//   tsx bench/detect.ts [--provider sqlite|postgresql] [--traces 60000] [--seed 42] [--skip-live]
// Quality and throughput: a seeded workload (days of simulated traffic with labeled anomalies) is
// ingested through the OTLP JSON decoder and the ingestion library, then scored from a backlog by one
// Scorer in this process (the code a worker process's tick runs), timed in wall and CPU seconds.
// Latency: a real worker process scores live traffic sent in real time.
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { getEnv } from "@/lib/env";
import { createTestDatabase, type Provider, type TestDatabase } from "@/tests/helpers/db";
import { evaluate } from "./detect-evaluate";
import { measureLiveLatency } from "./detect-live";
import { DEFAULT_WORKLOAD, generateWorkload } from "./generator/generate-workload";
import { ingestAll } from "./generator/ingest-workload";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "sqlite" },
    traces: { type: "string", default: String(DEFAULT_WORKLOAD.traces) },
    seed: { type: "string", default: String(DEFAULT_WORKLOAD.seed) },
    "skip-live": { type: "boolean", default: false },
  },
});
const provider = values.provider as Provider;

/** CPU seconds used so far by the PostgreSQL backends connected to the bench database (Linux /proc). */
async function databaseCpuSeconds(db: TestDatabase): Promise<number> {
  if (db.raw.provider !== "postgresql") return 0;
  const { rows } = await db.raw.pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // not on Linux, or the backend just exited
    }
  }
  return ticks / 100;
}
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

const t = await createTestDatabase(provider);
try {
  const project = await ensureProject(t.db, "bench");
  const now = Date.now();
  const durationMs = DEFAULT_WORKLOAD.durationMs;
  // The workload starts at a UTC midnight: the generator's daily pattern then lines up the same way on
  // every run, so a seed gives the same traffic (and the same figures) whatever the time of the run.
  const DAY = 86_400_000;
  const startMs = Math.floor((now - durationMs - 120_000) / DAY) * DAY;
  const workload = generateWorkload({ ...DEFAULT_WORKLOAD, seed: Number(values.seed), traces: Number(values.traces), startMs });
  const spanCount = workload.traces.reduce((n, tr) => n + tr.spans.length, 0);
  console.log(`workload: ${workload.traces.length} traces, ${spanCount} spans, ${workload.incidents.length} incidents (${provider})`);

  let started = performance.now();
  await ingestAll({ raw: t.raw, projectId: project.id }, workload.traces, 500, now - 60_000);
  console.log(`ingested in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const env = getEnv();
  const scorer = new Scorer(t.db, t.raw, "bench-scorer", { partitions: 1, batchSize: env.ARGUS_SCORER_BATCH, quietMs: env.ARGUS_TRACE_QUIET_MS, maxWaitMs: 60_000, leaseMs: 60_000 });
  const backendsBefore = await databaseCpuSeconds(t);
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  let scored = 0;
  for (;;) {
    const r = await scorer.tick(new Date());
    if (r.processed === 0) break;
    scored += r.batches.reduce((n, b) => n + b.spans, 0);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const backendSeconds = (await databaseCpuSeconds(t)) - backendsBefore;
  await scorer.stop();
  const rate = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(`throughput of one scorer process (backlog of ${scored} spans, batch ${env.ARGUS_SCORER_BATCH}; reads, span and chain scoring, commits, alert recording):`);
  console.log(`  wall ${seconds.toFixed(2)} s = ${rate(scored / seconds)} spans/s;  CPU of this process ${cpuSeconds.toFixed(2)} s = ${rate(scored / cpuSeconds)} spans per CPU-second`);
  if (provider === "postgresql") {
    console.log(`  PostgreSQL backends of this database ${backendSeconds.toFixed(2)} CPU-s; scorer + database ${rate(scored / (cpuSeconds + backendSeconds))} spans per CPU-second`);
  }
  console.log(`  (wall time depends on the load of the machine: load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);

  const anomalies = await t.db.anomaly.findMany({ select: { detector: true, traceId: true, explanation: true } });
  const ev = evaluate(workload, anomalies);
  console.log("\nclass              injected detected alerts  precision recall  F1");
  for (const c of ev.classes) {
    console.log(`${c.cls.padEnd(18)} ${String(c.injected).padStart(8)} ${String(c.detected).padStart(8)} ${String(c.alerts).padStart(6)}  ${pct(c.precision).padStart(9)} ${pct(c.recall).padStart(6)}  ${c.f1.toFixed(2)}`);
  }
  console.log(`\nfalse alerts on clean traffic: ${ev.falseAlerts} over ${ev.cleanTraces} clean traces = ${ev.falseAlertsPer10k.toFixed(2)} per 10,000 ${JSON.stringify(ev.falseByDetector)}`);
  if (process.env.BENCH_VERBOSE) {
    const clean = new Set(workload.traces.filter((x) => x.label === null).map((x) => x.traceId));
    for (const a of anomalies.filter((x) => clean.has(x.traceId)).slice(0, 30)) console.log("  FP", a.detector, a.explanation);
  }

  if (!values["skip-live"]) await measureLiveLatency(t, project.id, workload);
} finally {
  await t.cleanup();
}
