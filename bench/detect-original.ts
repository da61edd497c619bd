// The original generator's part of bench:detect. Quality and throughput: a seeded workload (days of
// simulated traffic with labeled anomalies) is ingested through the OTLP JSON decoder and the
// ingestion library, then scored from a backlog by one Scorer in this process (the code a worker
// process's tick runs), timed in wall and CPU seconds. Latency: a real worker process scores live
// traffic sent in real time.
import { readFileSync } from "node:fs";
import os from "node:os";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { getEnv } from "@/lib/env";
import { createTestDatabase, type Provider, type TestDatabase } from "@/tests/helpers/db";
import { CLEAN_TARGET_PER_10K, OVERALL_F1_TARGET } from "./adversarial/classes";
import type { TableRow } from "./adversarial/report";
import { evaluate, type Evaluation } from "./detect-evaluate";
import { measureLiveLatency, type LiveLatency } from "./detect-live";
import { DEFAULT_WORKLOAD, generateWorkload, type AnomalyClass } from "./generator/generate-workload";
import { ingestAll } from "./generator/ingest-workload";

export interface OriginalResult {
  provider: Provider;
  traces: number;
  spans: number;
  incidents: number;
  ingestSeconds: number;
  throughput: { spans: number; wallSeconds: number; cpuSeconds: number; databaseCpuSeconds: number; loadAverage: number[] };
  evaluation: Evaluation;
  live: LiveLatency | null;
}

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

export async function runOriginal(opts: { provider: Provider; traces: number; seed: number; skipLive: boolean }): Promise<OriginalResult> {
  const { provider } = opts;
  const t = await createTestDatabase(provider);
  try {
    const project = await ensureProject(t.db, "bench");
    const now = Date.now();
    const durationMs = DEFAULT_WORKLOAD.durationMs;
    // The workload starts at a UTC midnight: the generator's daily pattern then lines up the same way on
    // every run, so a seed gives the same traffic (and the same figures) whatever the time of the run.
    const DAY = 86_400_000;
    const startMs = Math.floor((now - durationMs - 120_000) / DAY) * DAY;
    const workload = generateWorkload({ ...DEFAULT_WORKLOAD, seed: opts.seed, traces: opts.traces, startMs });
    const spanCount = workload.traces.reduce((n, tr) => n + tr.spans.length, 0);
    console.log(`workload: ${workload.traces.length} traces, ${spanCount} spans, ${workload.incidents.length} incidents (${provider})`);

    let started = performance.now();
    await ingestAll({ raw: t.raw, projectId: project.id }, workload.traces, 500, now - 60_000);
    const ingestSeconds = (performance.now() - started) / 1000;
    console.log(`ingested in ${ingestSeconds.toFixed(1)} s`);

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
    const loadAverage = os.loadavg();
    console.log(`  (wall time depends on the load of the machine: load average ${loadAverage.map((l) => l.toFixed(1)).join(" ")})`);

    const anomalies = await t.db.anomaly.findMany({ select: { detector: true, traceId: true, explanation: true } });
    const ev = evaluate(workload, anomalies);
    if (process.env.BENCH_VERBOSE) {
      const clean = new Set(workload.traces.filter((x) => x.label === null).map((x) => x.traceId));
      for (const a of anomalies.filter((x) => clean.has(x.traceId)).slice(0, 30)) console.log("  FP", a.detector, a.explanation);
    }
    const live = opts.skipLive ? null : await measureLiveLatency(t, project.id, workload);
    return {
      provider, traces: workload.traces.length, spans: spanCount, incidents: workload.incidents.length, ingestSeconds,
      throughput: { spans: scored, wallSeconds: seconds, cpuSeconds, databaseCpuSeconds: backendSeconds, loadAverage }, evaluation: ev, live,
    };
  } finally {
    await t.cleanup();
  }
}

/** Classes whose target is recall ≥ 0.9 (structural classes; spikes here are 12–40×). */
const RECALL_TARGETS: Partial<Record<AnomalyClass, string>> = { latency_spike: "spikes ≥ 5×", novel_transition: "structural", loop: "structural", long_chain: "structural" };

export function originalRows(r: OriginalResult): TableRow[] {
  const rows: TableRow[] = [];
  const ev = r.evaluation;
  for (const c of ev.classes) {
    const target = RECALL_TARGETS[c.cls];
    rows.push({
      suite: "original", scenario: "generator", item: c.cls, n: String(c.injected), target: target ? "recall ≥ 0.9" : "—", ok: target ? c.recall >= 0.9 : null,
      result: `recall ${pct(c.recall)} (${c.detected}/${c.injected}), precision ${pct(c.precision)} (${c.truePositiveAlerts}/${c.alerts} rows), F1 ${c.f1.toFixed(2)}`,
    });
  }
  const detected = ev.classes.reduce((n, c) => n + c.detected, 0);
  const injected = ev.classes.reduce((n, c) => n + c.injected, 0);
  const tp = ev.classes.reduce((n, c) => n + c.truePositiveAlerts, 0);
  const alerts = ev.classes.reduce((n, c) => n + c.alerts, 0);
  const precision = alerts ? tp / alerts : 1;
  const recall = injected ? detected / injected : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const fb = Object.entries(ev.falseByDetector).map(([d, n]) => `${d} ${n}`).join(", ");
  rows.push({
    suite: "original", scenario: "generator", item: "clean", n: ev.cleanTraces.toLocaleString("en-US"), target: `≤ ${CLEAN_TARGET_PER_10K} /10k`, ok: ev.falseAlertsPer10k <= CLEAN_TARGET_PER_10K,
    result: `${ev.falseAlerts} false = ${ev.falseAlertsPer10k.toFixed(2)} /10k traces${fb ? ` (${fb})` : ""}`,
  });
  rows.push({ suite: "original", scenario: "overall", item: "injected", n: String(injected), target: `F1 ≥ ${OVERALL_F1_TARGET}`, ok: f1 >= OVERALL_F1_TARGET, result: `precision ${pct(precision)}, recall ${pct(recall)}, F1 ${f1.toFixed(2)}` });
  const th = r.throughput;
  rows.push({
    suite: "original", scenario: "throughput", item: "scorer backlog", n: th.spans.toLocaleString("en-US"), target: "—", ok: null,
    result: `${Math.round(th.spans / th.wallSeconds).toLocaleString("en-US")} spans/s wall, ${Math.round(th.spans / th.cpuSeconds).toLocaleString("en-US")} spans per CPU-s (load ${th.loadAverage[0]!.toFixed(1)})`,
  });
  if (r.live) {
    const l = r.live;
    rows.push({
      suite: "original", scenario: "live latency", item: "one worker", n: String(l.traces), target: "—", ok: null,
      result: `span-level p50 ${l.spanLevel.p50 ?? "-"} ms p95 ${l.spanLevel.p95 ?? "-"} ms; chain-level p50 ${l.chainLevel.p50 ?? "-"} ms p95 ${l.chainLevel.p95 ?? "-"} ms; recall ${l.recalled}/${l.labeled}`,
    });
  }
  return rows;
}
