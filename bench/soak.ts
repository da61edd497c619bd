// npm run test:soak -- [--minutes 30] [--rate <requests/s>] [--db sqlite|postgresql] [--sample-seconds 30] [--skip-faults]
// Soak: web + scorer + notifier processes (alerts to a local webhook receiver) under half the maximum
// ingest rate (measured first unless --rate; one request = 100 spans) from a separate load generator
// process. Prints RSS of each process, error answers and worker lag (spans ingested − scored) over time,
// then the kill -9 and overload scenarios' figures, then the end-of-run invariants. Needs `npm run build`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startReceiver } from "@/tests/alerts/receiver";
import { createTestDatabase } from "@/tests/helpers/db";
import {
  caughtUp, duplicatedAnomalies, duplicatedNotifications, missingAcknowledged, progress, receivedDeliveries, waitUntil,
} from "@/tests/reliability/harness/checks";
import { measureMaxRate, recovered, startLoad, type LoadProcess } from "@/tests/reliability/harness/load-client";
import { stopAll, webProcess, workerProcess, type ManagedProcess } from "@/tests/reliability/harness/processes";
import { loadAverage, prepareDatabase } from "@/tests/reliability/harness/setup";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    rate: { type: "string" },
    db: { type: "string", default: "sqlite" },
    "sample-seconds": { type: "string", default: "30" },
    "skip-faults": { type: "boolean", default: false },
  },
});
const minutes = Number(values.minutes);
const sampleMs = Number(values["sample-seconds"]) * 1000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorsOf = (byStatus: Record<string, number>) => Object.entries(byStatus).filter(([s]) => s !== "200").reduce((n, [, c]) => n + c, 0);

async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  if (values.db === "postgresql") {
    const t = await createTestDatabase("postgresql");
    return { url: t.databaseUrl, drop: () => t.cleanup() };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "argus-soak-"));
  return { url: `file:${path.join(dir, "argus.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function sample(procs: ManagedProcess[], load: LoadProcess, db: Awaited<ReturnType<typeof prepareDatabase>>["db"], startedAt: number) {
  const p = await progress(db);
  const s = load.stats();
  return {
    minute: +((Date.now() - startedAt) / 60_000).toFixed(1),
    rssMb: Object.fromEntries(procs.map((x) => [x.name, mb(x.rssBytes())])),
    requests: s.requests,
    errors: errorsOf(s.byStatus),
    lagSpans: p.unscoredSpans,
    spans: p.spans,
    load: await loadAverage(),
  };
}

async function killScenario(procs: ManagedProcess[], load: LoadProcess, db: Awaited<ReturnType<typeof prepareDatabase>>["db"]) {
  const out: Record<string, unknown> = {};
  for (const p of procs) {
    const before = load.stats().ackedSpans;
    const killedAt = Date.now();
    await p.kill("SIGKILL");
    await p.start();
    const restartMs = Date.now() - killedAt;
    await waitUntil("load acknowledged again", async () => load.stats().ackedSpans > before + 500, 120_000);
    out[p.name] = { restartMs };
  }
  const t0 = Date.now();
  await waitUntil("scorer lag back under one sample", async () => (await progress(db)).unscoredSpans < 5_000, 300_000, 1000);
  out.lagBackUnder5kSpansMs = Date.now() - t0;
  return out;
}

async function overloadScenario(web: ManagedProcess, load: LoadProcess, halfRate: number) {
  let peak = web.rssBytes();
  const sampler = setInterval(() => (peak = Math.max(peak, web.rssBytes())), 250);
  const before = { ...load.stats().byStatus };
  const at = Date.now();
  load.setRate(halfRate * 4); // twice the maximum
  await sleep(20_000);
  load.setRate(halfRate);
  const dropAt = Date.now();
  await waitUntil("recovery after overload", async () => recovered(load.timeline, 30, dropAt), 120_000);
  clearInterval(sampler);
  const during = Object.fromEntries(Object.entries(load.stats().byStatus).map(([s, n]) => [s, n - (before[s] ?? 0)]));
  return { seconds: 20, byStatus: during, timeouts: load.timeline.filter((t) => t.at > at && t.status === 0).length, webRssPeakMb: mb(peak), recoveryMs: Date.now() - dropAt };
}

async function main(): Promise<void> {
  const target = await database();
  const receiver = await startReceiver();
  const prepared = await prepareDatabase(target.url, `${receiver.url}/hook`);
  const workerEnv = { ARGUS_SCORER_LEASE_MS: "5000", ARGUS_DELIVERY_TIMEOUT_MS: "3000" };
  const web = await webProcess("web", target.url);
  const scorer = workerProcess("scorer", "scorer", target.url, workerEnv);
  const notifier = workerProcess("notifier", "notifier", target.url, workerEnv);
  const procs = [web, scorer, notifier];
  await Promise.all(procs.map((p) => p.start()));
  try {
    let rate = Number(values.rate);
    if (!rate) {
      const max = await measureMaxRate([web.url!], prepared.apiKey, 15_000);
      console.log(`max ingest rate (closed loop, 8 senders, 15 s): ${max.rps.toFixed(1)} requests/s = ${Math.round(max.spansPerSecond)} spans/s`);
      rate = max.rps / 2;
    }
    console.log(`soak: ${minutes} min at ${rate.toFixed(1)} requests/s (${Math.round(rate * 100)} spans/s), ${values.db}, load average ${await loadAverage()}`);
    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate, retries: 3 });
    // A second, slow stream of generated traffic with labeled anomalies keeps alerts and webhooks busy.
    const anomalous = startLoad({
      urls: [web.url!], apiKey: prepared.apiKey, rate: 1, retries: 3,
      workload: { seed: 3, traces: Math.ceil(minutes * 60 * 20 * 1.2) + 2_000, durationMs: 24 * 3_600_000, anomalyRate: 0.01, tracesPerRequest: 20 },
    });
    const startedAt = Date.now();
    const samples = [await sample(procs, load, prepared.db, startedAt)];
    console.log(JSON.stringify(samples[0]));
    while (Date.now() - startedAt < minutes * 60_000) {
      await sleep(Math.min(sampleMs, startedAt + minutes * 60_000 - Date.now()));
      samples.push(await sample(procs, load, prepared.db, startedAt));
      console.log(JSON.stringify(samples.at(-1)));
    }
    const soakErrors = errorsOf(load.stats().byStatus);
    const faults = values["skip-faults"] ? undefined : { kill9: await killScenario(procs, load, prepared.db), overload: await overloadScenario(web, load, rate) };
    const { stats, acked } = await load.stop();
    const side = await anomalous.stop();
    const drainStart = Date.now();
    await waitUntil("the scorer to catch up", async () => caughtUp(await progress(prepared.db)), 600_000, 1000);
    const summary = {
      minutes, rate, db: values.db,
      rssStartMb: samples[0]!.rssMb, rssEndMb: samples.at(-1)!.rssMb,
      maxLagSpans: Math.max(...samples.map((s) => s.lagSpans)),
      soakErrorAnswers: soakErrors, allAnswers: stats.byStatus, networkErrors: stats.networkErrors, timeouts: stats.timeouts ?? 0, ackedSpans: stats.ackedSpans,
      faults,
      drainAfterStopMs: Date.now() - drainStart,
      anomalousStream: { byStatus: side.stats.byStatus, ackedSpans: side.stats.ackedSpans },
      missingAcknowledgedTraces: (await missingAcknowledged(prepared.db, prepared.projectId, new Map([...acked, ...side.acked]))).length,
      duplicatedAnomalies: (await duplicatedAnomalies(prepared.db)).length,
      duplicatedNotifications: (await duplicatedNotifications(prepared.db)).length,
      anomalies: await prepared.db.anomaly.count(), alerts: await prepared.db.alert.count(), webhooks: receivedDeliveries(receiver.requests),
      loadAverageAtEnd: await loadAverage(),
    };
    console.log("soak summary:", JSON.stringify(summary, null, 2));
  } finally {
    await stopAll(procs);
    await prepared.db.$disconnect();
    await receiver.close();
    await target.drop();
  }
}

await main();
process.exit(0);
