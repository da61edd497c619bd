// Load generator (a separate process): posts batch bodies over HTTP and reports throughput and latency
// as one JSON line on stdout. Phases: JSON and protobuf at max rate (alternating halves), JSON at half the max rate.
import http from "node:http";
import { buildTemplate, jsonBody, maxBodyBytes, protobufBody, shiftToNow, type BatchTemplate } from "./ingest-batches";

const url = new URL(process.env.BENCH_URL!);
const key = process.env.BENCH_KEY!;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let counter = Number(process.env.BENCH_COUNTER_START ?? 1);

const templates: BatchTemplate[] = Array.from({ length: 16 }, () => buildTemplate(BigInt(Date.now()) * 1_000_000n));

function post(body: string | Buffer, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: "/v1/traces", method: "POST", agent, headers: { "content-type": contentType, authorization: `Bearer ${key}`, "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The next body; a closed-loop sender passes its own buffer, free again once its last request was answered. */
function nextRequest(format: "json" | "protobuf", into?: Buffer): [string | Buffer, string, number] {
  const template = templates[counter % templates.length]!;
  const n = counter++;
  const shift = shiftToNow(template);
  return format === "json"
    ? [jsonBody(template, n, shift, into), "application/json", template.spans]
    : [protobufBody(template, n, shift, into), "application/x-protobuf", template.spans];
}

interface PhaseResult {
  spansPerSec: number;
  requests: number;
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  bodyBytes: number;
  /** The load generator's own CPU per request: it shares the machine with the server it measures. */
  clientCpuMs: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

interface Segment {
  latencies: number[];
  failures: Record<string, number>;
  spans: number;
  seconds: number;
  bodyBytes: number;
  cpuMs: number;
}

async function closedLoop(format: "json" | "protobuf", durationS: number): Promise<Segment> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let spans = 0;
  let bodyBytes = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const buffer = Buffer.allocUnsafe(maxBodyBytes(templates));
      while (performance.now() < end) {
        const [body, type, n] = nextRequest(format, buffer);
        bodyBytes = Buffer.byteLength(body);
        const t0 = performance.now();
        const status = await post(body, type);
        latencies.push(performance.now() - t0);
        if (status === 200) spans += n;
        else failures[status] = (failures[status] ?? 0) + 1;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { latencies, failures, spans, seconds: (performance.now() - start) / 1000, bodyBytes, cpuMs: (used.user + used.system) / 1000 };
}

function summarize(segments: Segment[]): PhaseResult {
  const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  for (const s of segments) for (const [status, n] of Object.entries(s.failures)) failures[status] = (failures[status] ?? 0) + n;
  const spans = segments.reduce((n, s) => n + s.spans, 0);
  const seconds = segments.reduce((n, s) => n + s.seconds, 0);
  const cpuMs = segments.reduce((n, s) => n + s.cpuMs, 0);
  return {
    spansPerSec: spans / seconds,
    requests: latencies.length,
    failures,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    bodyBytes: segments.at(-1)?.bodyBytes ?? 0,
    clientCpuMs: cpuMs / Math.max(1, latencies.length),
  };
}

/**
 * A slow request of the half-rate phase: when it was sent, in seconds since the load began and as the
 * UTC clock time (to match the server's and the database's logs), and its latency.
 */
interface SlowRequest {
  atS: number;
  clock: string;
  ms: number;
}

const loadStart = performance.now();

async function openLoop(format: "json" | "protobuf", spansPerSec: number, durationS: number): Promise<PhaseResult & { targetSpansPerSec: number; slowest: SlowRequest[] }> {
  const perRequest = templates[0]!.spans;
  const intervalMs = (1000 * perRequest) / spansPerSec;
  const latencies: number[] = [];
  const sent: SlowRequest[] = [];
  const failures: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let spans = 0;
  const start = performance.now();
  for (let i = 0; ; i++) {
    const at = start + i * intervalMs;
    if (at > start + durationS * 1000) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const [body, type, n] = nextRequest(format);
    const t0 = performance.now();
    pending.push(
      post(body, type).then((status) => {
        const ms = performance.now() - t0;
        latencies.push(ms);
        sent.push({ atS: (t0 - loadStart) / 1000, clock: new Date(performance.timeOrigin + t0).toISOString().slice(11, 22), ms });
        if (status === 200) spans += n;
        else failures[status] = (failures[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const slowest = sent.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return { targetSpansPerSec: spansPerSec, spansPerSec: spans / elapsed, requests: latencies.length, failures, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), bodyBytes: 0, clientCpuMs: NaN, slowest };
}

/** Phase markers let the parent sample the server's CPU time at phase boundaries. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  process.stdout.write(`phase-start ${name}\n`);
  const result = await run();
  process.stdout.write(`phase-end ${name}\n`);
  return result;
}

await closedLoop("json", 2); // warm-up: route compilation, JIT, statement caches
await closedLoop("protobuf", 1);
// JSON and protobuf alternate (A B A B), so neither always runs on the larger database.
const jsonSegments: Segment[] = [];
const protobufSegments: Segment[] = [];
for (let round = 0; round < 2; round++) {
  jsonSegments.push(await phase("json", () => closedLoop("json", seconds / 2)));
  protobufSegments.push(await phase("protobuf", () => closedLoop("protobuf", seconds / 2)));
}
const json = summarize(jsonSegments);
const protobuf = summarize(protobufSegments);
const halfRate = await openLoop("json", json.spansPerSec / 2, seconds);
process.stdout.write(`${JSON.stringify({ json, protobuf, halfRate, counter })}\n`);
agent.destroy();
