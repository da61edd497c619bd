// Virtual-time replay: a fresh database, one project, each export request ingested at its receive time
// through the OTLP/JSON decoder and the ingestion library, and one Scorer ticked with `now` = virtual
// time as a worker polling every 100 ms would see it. Ticks that could change nothing are skipped:
// the harness ticks quietMs + 100 ms after each request (the span batch is read and the traces whose
// last span it carried become quiet), maxWaitMs after a trace's first span when its root had not
// arrived (partial traces are scored then), and at least every `idleTickMs` (time-based logic during
// silences; every 2 minutes once a silence has lasted 10 minutes). Requests due before the next tick are ingested together (group commit, each with its own
// receive time), as concurrent requests are in production.
import { copyFileSync } from "node:fs";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { ingestSpans, inProcessSpanWriter } from "@/lib/ingest/ingest-spans";
import { decodeJsonRequest } from "@/lib/otlp/decode-json";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { createTestDatabase, type Provider } from "@/tests/helpers/db";
import { toOtlp } from "../traffic/otlp";
import type { ExportRequest, ScenarioTraffic } from "../traffic/types";

export interface ReplayOptions {
  provider: Provider;
  quietMs: number;
  maxWaitMs: number;
  batchSize: number;
  idleTickMs: number;
  /** Service → SDK (resource attributes). */
  sdkOf: (service: string) => "python" | "node";
}

export interface AnomalyRow {
  detector: string;
  metric: string;
  entity: string;
  traceId: string;
  spanId: string | null;
  createdAtMs: number;
  score: number;
  severity: string;
  alertId: string | null;
  details: Record<string, unknown> | null;
  explanation: string;
}

export interface ReplayResult {
  anomalies: AnomalyRow[];
  alerts: number;
  ticks: number;
  seconds: { total: number; encode: number; ingest: number; score: number };
  cpuSeconds: number;
}

/** Min-heap of tick times. */
class TickHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): number | undefined {
    return this.a[0];
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number | undefined {
    const a = this.a;
    if (!a.length) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

const LEASE_MS = 30 * 86_400_000;

export async function replay(traffic: ScenarioTraffic, opts: ReplayOptions): Promise<ReplayResult> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const t = await createTestDatabase(opts.provider);
  let encodeMs = 0;
  let ingestMs = 0;
  let scoreMs = 0;
  let ticks = 0;
  try {
    const project = await ensureProject(t.db, "bench");
    const scorer = new Scorer(t.db, t.raw, "bench-adversarial", { partitions: 1, batchSize: opts.batchSize, quietMs: opts.quietMs, maxWaitMs: opts.maxWaitMs, leaseMs: LEASE_MS });
    const writer = inProcessSpanWriter(t.raw);
    const heap = new TickHeap();
    const rootSeen = new Set<string>();
    const waitScheduled = new Set<string>();
    const reqs = traffic.requests;
    let i = 0;
    let lastTick = traffic.startMs;
    let lastRequest = traffic.startMs;

    const ingest = async (req: ExportRequest) => {
      const a = performance.now();
      const body = Buffer.from(JSON.stringify(toOtlp(req, opts.sdkOf(req.service))));
      const decoded = decodeJsonRequest(body);
      if (decoded.rejected) throw new Error(`generator produced invalid spans: ${decoded.problems.join("; ")}`);
      const b = performance.now();
      encodeMs += b - a;
      await ingestSpans(decoded.spans, { writer, projectId: project.id, prices: DEFAULT_PRICES, receivedMs: Math.round(req.receivedMs) });
    };
    const tick = async (at: number) => {
      const a = performance.now();
      await scorer.tick(new Date(Math.round(at)));
      scoreMs += performance.now() - a;
      ticks++;
      lastTick = at;
    };

    for (;;) {
      const nextReq = i < reqs.length ? reqs[i]!.receivedMs : Infinity;
      const due = heap.peek() ?? Infinity;
      // Every idleTickMs in the first 10 minutes of a silence (outages), then every 2 minutes (nights, weekends).
      const idle = lastTick + (lastTick - lastRequest >= 600_000 ? Math.max(opts.idleTickMs, 120_000) : opts.idleTickMs);
      const tickAt = Math.min(due, idle);
      if (nextReq === Infinity && heap.size === 0) break;
      if (nextReq <= tickAt) {
        // Ingest every request received before the next tick, together.
        const group: ExportRequest[] = [];
        while (i < reqs.length && reqs[i]!.receivedMs <= tickAt && (group.length === 0 || reqs[i]!.receivedMs - group[0]!.receivedMs < 1000)) group.push(reqs[i++]!);
        const a = performance.now();
        await Promise.all(group.map(ingest));
        ingestMs += performance.now() - a;
        lastRequest = group[group.length - 1]!.receivedMs;
        for (const req of group) {
          heap.push(req.receivedMs + opts.quietMs + 100);
          for (const s of req.spans) if (s.parentSpanId === null) rootSeen.add(s.traceId);
          for (const s of req.spans) {
            if (!rootSeen.has(s.traceId) && !waitScheduled.has(s.traceId)) {
              waitScheduled.add(s.traceId);
              heap.push(req.receivedMs + opts.quietMs + 100 + opts.maxWaitMs + 100);
            }
          }
        }
        continue;
      }
      // Coalesce ticks due within 200 ms into the latest of them, unless a request comes first.
      let at = tickAt;
      if (tickAt === due) {
        heap.pop();
        while ((heap.peek() ?? Infinity) <= at + 200 && (heap.peek() ?? Infinity) < nextReq) at = heap.pop()!;
      }
      await tick(at);
    }
    await tick(lastTick + opts.quietMs + 100);
    await scorer.stop();

    const rows = await t.db.anomaly.findMany({
      select: { detector: true, metric: true, entity: true, traceId: true, spanId: true, createdAt: true, score: true, severity: true, alertId: true, details: true, explanation: true },
      orderBy: { createdAt: "asc" },
    });
    const alerts = await t.db.alert.count();
    const cpu = process.cpuUsage(cpu0);
    return {
      anomalies: rows.map((r) => ({
        detector: r.detector, metric: r.metric, entity: r.entity, traceId: r.traceId, spanId: r.spanId, createdAtMs: r.createdAt.getTime(), score: r.score,
        severity: r.severity, alertId: r.alertId, explanation: r.explanation,
        details: (typeof r.details === "string" ? JSON.parse(r.details) : r.details) as Record<string, unknown> | null,
      })),
      alerts,
      ticks,
      seconds: { total: (performance.now() - started) / 1000, encode: encodeMs / 1000, ingest: (ingestMs - encodeMs) / 1000, score: scoreMs / 1000 },
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    // ARGUS_BENCH_KEEP=<file>: a copy of the scenario's SQLite database, to inspect what the models learned.
    const keep = process.env.ARGUS_BENCH_KEEP;
    if (keep && t.raw.provider === "sqlite") {
      t.raw.sqlite.pragma("wal_checkpoint(TRUNCATE)");
      copyFileSync(t.raw.file, keep);
    }
    await t.cleanup();
  }
}
