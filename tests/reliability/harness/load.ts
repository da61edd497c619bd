// Load for reliability tests and soak benches: OTLP/JSON batches posted round-robin to one or more web
// processes, open loop (a target rate) or closed loop (fixed concurrency). Every answer is recorded;
// the traces of every 200 are remembered, so a test can prove that each acknowledged span is stored.
import http from "node:http";
import { buildTemplate, jsonBody, shiftToNow, type BatchTemplate } from "@/bench/ingest-batches";
import type { GenTrace } from "@/bench/generator/generate-workload";
import { toOtlpJson } from "@/bench/generator/to-otlp";

export interface Batch {
  body: string | Buffer;
  /** [traceId, number of spans] */
  traces: Array<[string, number]>;
  spans: number;
}

export interface LoadStats {
  requests: number;
  byStatus: Record<string, number>;
  /** Non-2xx answers without a Retry-After header (429/503 must carry one). */
  missingRetryAfter: number;
  /** Connection errors and timeouts (the server never answered). */
  networkErrors: number;
  /** Of networkErrors: no answer within the timeout. */
  timeouts?: number;
  ackedSpans: number;
  latenciesMs: number[];
}

/** Endless 100-span agent batches (4 traces × 25 spans, 1–2 KB prompts), unique trace ids per call. */
export function benchBatches(seedCounter = 1): () => Batch {
  const templates: Array<{ t: BatchTemplate; suffixes: string[] }> = Array.from({ length: 8 }, () => {
    const t = buildTemplate(BigInt(Date.now()) * 1_000_000n);
    const suffixes = [...new Set([...t.json.toString().matchAll(/"deadbeef([0-9a-f]{24})"/g)].map((m) => m[1]!))];
    return { t, suffixes };
  });
  let counter = seedCounter;
  return () => {
    const { t, suffixes } = templates[counter % templates.length]!;
    const n = counter++;
    const prefix = n.toString(16).padStart(8, "0");
    return { body: jsonBody(t, n, shiftToNow(t)), traces: suffixes.map((s) => [prefix + s, t.spans / suffixes.length]), spans: t.spans };
  };
}

/** Generated traces (with labeled anomalies) in chunks of `perRequest`; undefined when exhausted. */
export function generatorBatches(traces: readonly GenTrace[], perRequest: number): () => Batch | undefined {
  let i = 0;
  return () => {
    if (i >= traces.length) return undefined;
    const chunk = traces.slice(i, i + perRequest);
    i += perRequest;
    return { body: JSON.stringify(toOtlpJson(chunk)), traces: chunk.map((t) => [t.traceId, t.spans.length]), spans: chunk.reduce((n, t) => n + t.spans.length, 0) };
  };
}

export interface PostResult {
  status: number;
  retryAfter: string | undefined;
  ms: number;
  timedOut?: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function postTraces(baseUrl: string, apiKey: string, body: string | Buffer, timeoutMs = 30_000): Promise<PostResult> {
  const url = new URL(baseUrl);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: "/v1/traces", method: "POST", agent, timeout: timeoutMs, headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}`, "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, ms: performance.now() - t0 }));
        res.on("error", () => resolve({ status: 0, retryAfter: undefined, ms: performance.now() - t0 }));
      },
    );
    let timedOut = false;
    req.on("timeout", () => {
      timedOut = true;
      req.destroy(new Error("timeout"));
    });
    req.on("error", () => resolve({ status: 0, retryAfter: undefined, ms: performance.now() - t0, timedOut }));
    req.end(body);
  });
}

export class Load {
  readonly stats: LoadStats = { requests: 0, byStatus: {}, missingRetryAfter: 0, networkErrors: 0, ackedSpans: 0, latenciesMs: [] };
  /** traceId → spans acknowledged with a 200. */
  readonly acked = new Map<string, number>();
  /** Answers per second-of-run: [second, status] pairs, for recovery checks. */
  readonly timeline: Array<{ at: number; status: number }> = [];
  private stopped = false;
  private inflight = new Set<Promise<void>>();
  private rr = 0;

  constructor(
    private readonly urls: () => string[],
    private readonly apiKey: string,
    private readonly next: () => Batch | undefined,
    /** retries: resend a batch answered 429/503 after its Retry-After (at most 5 s), like an OTLP exporter. */
    private readonly opts: { timeoutMs?: number; keepLatencies?: boolean; retries?: number } = {},
  ) {}

  private async sendOne(): Promise<boolean> {
    const batch = this.next();
    if (!batch) return false;
    const urls = this.urls();
    const url = urls[this.rr++ % urls.length]!;
    let r = await postTraces(url, this.apiKey, batch.body, this.opts.timeoutMs);
    this.record(batch, r);
    for (let tries = 0; tries < (this.opts.retries ?? 0) && (r.status === 429 || r.status === 503) && !this.stopped; tries++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5, Number(r.retryAfter) || 1) * 1000));
      r = await postTraces(url, this.apiKey, batch.body, this.opts.timeoutMs);
      this.record(batch, r);
    }
    return true;
  }

  record(batch: Batch, r: PostResult): void {
    const s = this.stats;
    s.requests += 1;
    s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + 1;
    this.timeline.push({ at: Date.now(), status: r.status });
    if (this.opts.keepLatencies !== false) s.latenciesMs.push(r.ms);
    if (r.status === 0) s.networkErrors += 1;
    if (r.timedOut) s.timeouts = (s.timeouts ?? 0) + 1;
    if ((r.status === 429 || r.status === 503) && !r.retryAfter) s.missingRetryAfter += 1;
    if (r.status === 200) {
      s.ackedSpans += batch.spans;
      for (const [traceId, n] of batch.traces) this.acked.set(traceId, (this.acked.get(traceId) ?? 0) + n);
    }
  }

  /** Closed loop with `concurrency` senders until stop() or the batches run out. */
  runClosed(concurrency: number): Promise<void> {
    const workers = Array.from({ length: concurrency }, async () => {
      while (!this.stopped && (await this.sendOne()));
    });
    return Promise.all(workers).then(() => undefined);
  }

  /** Open loop: a request every 1000/rps ms (not waiting for answers) until stop(). */
  async runOpen(requestsPerSecond: () => number): Promise<void> {
    let at = performance.now();
    while (!this.stopped) {
      at += 1000 / requestsPerSecond();
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -1000) at = performance.now(); // fell behind (paused event loop): do not burst
      const p = this.sendOne().then((more) => {
        if (!more) this.stopped = true;
      });
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }
    await Promise.all(this.inflight);
  }

  stop(): void {
    this.stopped = true;
  }
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
