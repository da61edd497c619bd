// The load generator as its own process (`tsx load-process.ts '<json LoadSpec>'`), so the posting client
// never shares a CPU queue or event loop with the assertions. Driven over IPC by load-client.ts:
// it reports progress every half second and, when told to stop, every acknowledged trace.
import { generateWorkload } from "@/bench/generator/generate-workload";
import { benchBatches, generatorBatches, Load, type Batch } from "./load";
import type { LoadSpec, ParentMessage, ChildMessage } from "./load-protocol";

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
let urls = spec.urls;
let rate = spec.rate ?? 10;

function batches(): () => Batch | undefined {
  if (spec.workload) {
    const w = spec.workload;
    const startMs = Date.now() - w.durationMs;
    const { traces } = generateWorkload({ seed: w.seed, traces: w.traces, startMs, durationMs: w.durationMs, warmupFraction: 0.4, anomalyRate: w.anomalyRate, incidentsPerClass: 0, incidentMs: 300_000 });
    return generatorBatches(traces, w.tracesPerRequest);
  }
  return benchBatches((process.pid & 0xffff) << 12);
}

const send = (m: ChildMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()));
const load = new Load(() => urls, spec.apiKey, batches(), { timeoutMs: spec.timeoutMs ?? 20_000, keepLatencies: true, retries: spec.retries });
let reported = 0;
const progress = setInterval(() => {
  const fresh = load.timeline.slice(reported);
  reported = load.timeline.length;
  void send({ type: "progress", stats: { ...load.stats, latenciesMs: [] }, timeline: fresh });
}, 500);

process.on("message", (m: ParentMessage) => {
  if (m.type === "rate") rate = m.rate;
  if (m.type === "urls") urls = m.urls;
  if (m.type === "stop") load.stop();
});
process.on("disconnect", () => load.stop());

const run = spec.concurrency ? load.runClosed(spec.concurrency) : load.runOpen(() => rate);
await run;
clearInterval(progress);
await send({ type: "progress", stats: { ...load.stats, latenciesMs: [] }, timeline: load.timeline.slice(reported) });
await send({ type: "done", stats: load.stats, acked: [...load.acked] });
process.disconnect?.();
