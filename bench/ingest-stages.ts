// npm run bench:ingest-stages — CPU cost of each ingestion stage for a 100-span agent batch, in process
// (no HTTP): JSON and protobuf decode, normalization, API key lookup (Prisma and raw driver), the
// SQLite/PostgreSQL write one request at a time and ${wave} at a time (group commit), and on SQLite the same
// through the writer thread the web server uses. CPU is process-wide (all threads), so it is comparable
// under a loaded machine where wall-clock figures are not.
//   ARGUS_BENCH_DB=sqlite|postgresql (default sqlite)  ARGUS_BENCH_BATCHES (default 300)
import { rawApiKeyFinder } from "@/lib/auth/api-key-finder-raw";
import { authenticateApiKey, createApiKey, ensureProject } from "@/lib/auth/api-keys";
import { toSpanRows } from "@/lib/ingest/span-row";
import { ingestSpans, inProcessSpanWriter } from "@/lib/ingest/ingest-spans";
import { writeOnThread } from "@/lib/ingest/write-on-thread";
import { decodeTraceRequest } from "@/lib/otlp/decode";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { createTestDatabase, type Provider } from "@/tests/helpers/db";
import { buildTemplate, jsonBody, protobufBody } from "./ingest-batches";

const provider = (process.env.ARGUS_BENCH_DB ?? "sqlite") as Provider;
const batches = Number(process.env.ARGUS_BENCH_BATCHES ?? 300);
const wave = Number(process.env.ARGUS_BENCH_WAVE ?? 8);

function cpuMs(fn: () => void, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

async function cpuMsAsync(fn: (i: number) => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const t = await createTestDatabase(provider);
try {
  const project = await ensureProject(t.db, "stages");
  const { key } = await createApiKey(t.db, project.id, "default", ["ingest"]);
  const templates = Array.from({ length: 8 }, () => buildTemplate(BigInt(Date.now()) * 1_000_000n));
  const json = Array.from({ length: batches }, (_, i) => jsonBody(templates[i % 8]!, i + 1, BigInt(i) * 10_000_000n));
  const proto = Array.from({ length: batches }, (_, i) => protobufBody(templates[i % 8]!, i + 1 + batches, BigInt(i) * 10_000_000n));
  const warm = (fn: () => void) => { for (let i = 0; i < 50; i++) fn(); };

  let k = 0;
  warm(() => decodeTraceRequest(json[k++ % batches]!, "json"));
  const jsonMs = cpuMs(() => decodeTraceRequest(json[k++ % batches]!, "json"), batches);
  warm(() => decodeTraceRequest(proto[k++ % batches]!, "protobuf"));
  const protoMs = cpuMs(() => decodeTraceRequest(proto[k++ % batches]!, "protobuf"), batches);
  const decoded = json.map((b) => decodeTraceRequest(b, "json").spans);
  const decodedProto = proto.map((b) => decodeTraceRequest(b, "protobuf").spans);
  warm(() => toSpanRows(project.id, decoded[k++ % batches]!, DEFAULT_PRICES, Date.now()));
  const normalizeMs = cpuMs(() => toSpanRows(project.id, decoded[k++ % batches]!, DEFAULT_PRICES, Date.now()), batches);
  for (let i = 0; i < 50; i++) await authenticateApiKey(t.db, key);
  const authMs = await cpuMsAsync(() => authenticateApiKey(t.db, key), batches);
  const findKey = rawApiKeyFinder(t.raw);
  for (let i = 0; i < 50; i++) await authenticateApiKey(t.db, key, findKey);
  const rawAuthMs = await cpuMsAsync(() => authenticateApiKey(t.db, key, findKey), batches);

  // One writer for the process, as the server has: concurrent requests share its group commit.
  let writer = inProcessSpanWriter(t.raw);
  const ingest = (spans: (typeof decoded)[number]) => ingestSpans(spans, { writer, projectId: project.id, prices: DEFAULT_PRICES, receivedMs: Date.now() });
  // Concurrent requests arrive in waves of ARGUS_BENCH_WAVE (default 8, the load generator's concurrency).
  async function grouped(all: typeof decoded): Promise<{ cpuMs: number; spansPerSec: number }> {
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < all.length; i += wave) await Promise.all(all.slice(i, i + wave).map(ingest));
    const used = process.cpuUsage(cpuStart);
    return { cpuMs: (used.user + used.system) / 1000 / all.length, spansPerSec: (all.length * 100) / ((performance.now() - wallStart) / 1000) };
  }
  const writeMs = await cpuMsAsync((i) => ingest(decoded[i]!), batches);
  const group = await grouped(decodedProto);
  let thread: { cpuMs: number; spansPerSec: number } | undefined;
  if (t.raw.provider === "sqlite") {
    writer = writeOnThread(t.raw);
    // The writer thread is unref'd (it must not keep a server from exiting): hold the loop open meanwhile.
    const keepAlive = setInterval(() => {}, 1000);
    const fresh = Array.from({ length: batches }, (_, i) => decodeTraceRequest(jsonBody(templates[i % 8]!, i + 1 + 2 * batches, BigInt(batches + i) * 10_000_000n), "json").spans);
    await grouped(fresh.slice(0, 20)); // start the thread
    thread = await grouped(fresh.slice(20));
    clearInterval(keepAlive);
  }
  const f = (n: number) => n.toFixed(2).padStart(6);
  console.log(`bench:ingest-stages ${provider}, ${batches} batches of ${templates[0]!.spans} spans (${json[0]!.length} B JSON, ${proto[0]!.length} B protobuf)`);
  console.log(`CPU ms per batch: decode JSON ${f(jsonMs)} | decode protobuf ${f(protoMs)} | API key lookup Prisma ${f(authMs)}, raw ${f(rawAuthMs)}`);
  console.log(`                  normalize alone ${f(normalizeMs)}; normalize+write, one request at a time ${f(writeMs)}`);
  console.log(`                  normalize+write, ${wave} at a time (group commit) ${f(group.cpuMs)}; ${Math.round(group.spansPerSec)} spans/s wall`);
  if (thread) console.log(`                  same through the writer thread ${f(thread.cpuMs)} (both threads); ${Math.round(thread.spansPerSec)} spans/s wall`);
} finally {
  await t.cleanup();
}
