// Live phase of bench:detect: a real scorer worker process, traffic sent in real time, detection
// latency = anomaly row createdAt − receivedMs of the span (span-level) or of the trace's last span.
import { spawn } from "node:child_process";
import { quantileSorted } from "simple-statistics";
import { getEnv } from "@/lib/env";
import type { TestDatabase } from "@/tests/helpers/db";
import { CLASS_DETECTORS } from "./detect-evaluate";
import { generateWorkload, type Workload } from "./generator/generate-workload";
import { ingestTraces } from "./generator/ingest-workload";

const LIVE_SECONDS = 30;

export interface LiveLatency {
  traces: number;
  labeled: number;
  recalled: number;
  spanLevel: { n: number; p50: number | null; p95: number | null };
  chainLevel: { n: number; p50: number | null; p95: number | null };
  firstPerTrace: { n: number; p50: number | null; p95: number | null };
}

export async function measureLiveLatency(t: TestDatabase, projectId: string, history: Workload): Promise<LiveLatency> {
  // node itself (not npx, whose grandchild would outlive a SIGTERM and keep the bench's output open).
  const worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts", "scorer"], {
    env: { ...process.env, DATABASE_URL: t.databaseUrl, ARGUS_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const start = Date.now() + 2000;
    const live = generateWorkload({ ...history.options, seed: history.options.seed + 1, traces: LIVE_SECONDS * 15, startMs: start, durationMs: LIVE_SECONDS * 1000, warmupFraction: 0, anomalyRate: 0.04, incidentsPerClass: 0 });
    // Send each trace once it has ended (in real time), in small exporter-like batches.
    let i = 0;
    while (i < live.traces.length) {
      const due: typeof live.traces = [];
      while (i < live.traces.length && live.traces[i]!.endMs <= Date.now()) due.push(live.traces[i++]!);
      if (due.length) await ingestTraces({ raw: t.raw, projectId }, due);
      await new Promise((r) => setTimeout(r, 50));
    }
    const lastSeq = (await t.db.span.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const scored = await t.db.trace.count({ where: { traceId: { in: live.traces.map((x) => x.traceId) }, scoredSeq: null } });
      const cursor = await t.db.workerCursor.findFirst({ where: { name: { startsWith: "scorer:p" } } });
      if (cursor && cursor.position >= lastSeq && scored === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const labeled = new Map(live.traces.filter((x) => x.label).map((x) => [x.traceId, x]));
    const anomalies = await t.db.anomaly.findMany({ where: { traceId: { in: [...labeled.keys()] } }, select: { detector: true, traceId: true, spanId: true, createdAt: true } });
    const spans = await t.db.span.findMany({ where: { traceId: { in: [...labeled.keys()] } }, select: { traceId: true, spanId: true, receivedMs: true } });
    const received = new Map(spans.map((s) => [`${s.traceId}:${s.spanId}`, Number(s.receivedMs)]));
    const traceLast = new Map<string, number>();
    for (const s of spans) traceLast.set(s.traceId, Math.max(traceLast.get(s.traceId) ?? 0, Number(s.receivedMs)));
    const spanLevel: number[] = [];
    const chainLevel: number[] = [];
    const firstPerTrace = new Map<string, number>();
    for (const a of anomalies) {
      const tr = labeled.get(a.traceId)!;
      if (!CLASS_DETECTORS[tr.label!].includes(a.detector)) continue;
      const from = a.spanId ? received.get(`${a.traceId}:${a.spanId}`) : traceLast.get(a.traceId);
      if (from === undefined) continue;
      const ms = a.createdAt.getTime() - from;
      (a.spanId ? spanLevel : chainLevel).push(ms);
      firstPerTrace.set(a.traceId, Math.min(firstPerTrace.get(a.traceId) ?? Infinity, ms));
    }
    const show = (name: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const p50 = s.length ? Math.round(quantileSorted(s, 0.5)) : null;
      const p95 = s.length ? Math.round(quantileSorted(s, 0.95)) : null;
      console.log(`${name.padEnd(68)} n=${String(s.length).padStart(3)}  p50 ${p50 ?? "-"} ms  p95 ${p95 ?? "-"} ms`);
      return { n: s.length, p50, p95 };
    };
    console.log(`\nlive: ${live.traces.length} traces in ${LIVE_SECONDS} s, ${labeled.size} with injected anomalies; one worker process with the default settings (ARGUS_TRACE_QUIET_MS=${getEnv().ARGUS_TRACE_QUIET_MS})`);
    const result: LiveLatency = {
      traces: live.traces.length,
      labeled: labeled.size,
      recalled: firstPerTrace.size,
      spanLevel: show("span-level detectors (span ingested → anomaly row)", spanLevel),
      chainLevel: show("chain-level detectors (trace's last span ingested → anomaly row)", chainLevel),
      firstPerTrace: show("first anomaly per labeled trace", [...firstPerTrace.values()]),
    };
    console.log(`recall in live phase: ${firstPerTrace.size}/${labeled.size}`);
    return result;
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
  }
}
