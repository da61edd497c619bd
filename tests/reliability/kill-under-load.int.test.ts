// kill -9 of the web process, the scorer and the notifier, twice each, while a separate load generator
// process posts generated agent traffic (with anomalies that open alerts and send webhooks). Afterwards:
// every span that got a 200 is stored, every span is scored and no seq range was scored twice, no
// anomaly or notification is duplicated, and the SQLite file is intact.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTIFIER_MAX_IN_FLIGHT } from "@/lib/notify/notifier";
import { startReceiver, type Receiver } from "@/tests/alerts/receiver";
import {
  caughtUp, commitsFromLogs, duplicatedAnomalies, duplicatedNotifications, integrityCheck, missingAcknowledged, overlappingCommits,
  progress, receivedDeliveries, undelivered, waitUntil,
} from "./harness/checks";
import { startLoad } from "./harness/load-client";
import { jsonLines, stopAll, webProcess, workerProcess, type ManagedProcess } from "./harness/processes";
import { prepareDatabase, type Prepared } from "./harness/setup";

const ROUNDS = 2;

describe("kill -9 of each process under load (SQLite)", () => {
  let dir: string;
  let prepared: Prepared;
  let receiver: Receiver;
  let web: ManagedProcess;
  let scorer: ManagedProcess;
  let notifier: ManagedProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "argus-kill-"));
    const url = `file:${path.join(dir, "argus.db")}`;
    receiver = await startReceiver();
    prepared = await prepareDatabase(url, `${receiver.url}/hook`);
    const workerEnv = { ARGUS_TRACE_QUIET_MS: "200", ARGUS_SCORER_LEASE_MS: "2000", ARGUS_DELIVERY_TIMEOUT_MS: "2000", ARGUS_LOG_LEVEL: "debug" };
    // One API key sends everything here: let it use every slot, as before per-key bounds existed. This test
    // is about kill -9; with a finite workload, extra 429s on an overloaded machine exhausted its retries.
    web = await webProcess("web", url, { ARGUS_MAX_INFLIGHT_INGEST_PER_KEY: "16" });
    scorer = workerProcess("scorer", "scorer", url, workerEnv);
    notifier = workerProcess("notifier", "notifier", url, workerEnv);
    await Promise.all([web.start(), scorer.start(), notifier.start()]);
  }, 90_000);

  afterAll(async () => {
    await stopAll([web, scorer, notifier].filter(Boolean));
    await prepared?.db.$disconnect();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loses no acknowledged span, scores everything once and duplicates nothing", async () => {
    const load = startLoad({
      urls: [web.url!], apiKey: prepared.apiKey, rate: 8, retries: 5, timeoutMs: 20_000,
      workload: { seed: 7, traces: 6000, durationMs: 24 * 3_600_000, anomalyRate: 0.01, tracesPerRequest: 20 },
    });
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of [web, scorer, notifier]) {
        const before = load.stats().ackedSpans;
        await waitUntil(`more acknowledged spans before killing ${target.name}`, async () => {
          load.assertAlive();
          return load.stats().ackedSpans >= before + 1000;
        }, 120_000).catch((error: Error) => {
          throw new Error(`${error.message}; ${load.describe()}; web running=${web.running()}; web said: ${web.lines.slice(-5).join(" | ").slice(0, 1500)}`);
        });
        await target.kill("SIGKILL");
        kills.push(target.name);
        await target.start();
      }
    }
    const result = await load.finished;
    console.log("kill -9 under load:", JSON.stringify({ kills, byStatus: result.stats.byStatus, ackedSpans: result.stats.ackedSpans, networkErrors: result.stats.networkErrors }));

    expect(await missingAcknowledged(prepared.db, prepared.projectId, result.acked)).toEqual([]);
    await waitUntil("the scorer to catch up", async () => caughtUp(await progress(prepared.db)), 90_000, 500);
    await waitUntil("every notification delivered", async () => (await undelivered(prepared.db)) === 0, 60_000, 500);

    const p = await progress(prepared.db);
    expect(p.spans).toBeGreaterThanOrEqual(result.stats.ackedSpans);
    expect(overlappingCommits(commitsFromLogs("scorer", jsonLines(scorer)))).toEqual([]);
    expect(await duplicatedAnomalies(prepared.db)).toEqual([]);
    expect(await duplicatedNotifications(prepared.db)).toEqual([]);
    const delivered = await prepared.db.alertDelivery.count({ where: { status: "delivered" } });
    const received = receivedDeliveries(receiver.requests);
    console.log("kill -9 under load, results:", JSON.stringify({ ...p, anomalies: await prepared.db.anomaly.count(), alerts: await prepared.db.alert.count(), delivered, received }));
    expect(delivered).toBeGreaterThan(0);
    expect(received.distinctKeys).toBe(delivered);
    // A notifier killed between sending and recording sends again, with the same idempotency key, each
    // delivery it had in flight (up to NOTIFIER_MAX_IN_FLIGHT at once; 7 repeats over two kills were seen).
    expect(received.requests - received.distinctKeys).toBeLessThanOrEqual(ROUNDS * NOTIFIER_MAX_IN_FLIGHT);
    expect(await integrityCheck(prepared.db)).toBe("ok");
    // Other than while the web process was down (connection refused), answers are 200 or 429/503.
    expect(Object.keys(result.stats.byStatus).every((s) => ["0", "200", "429", "503"].includes(s))).toBe(true);
    expect(result.stats.missingRetryAfter).toBe(0);
  }, 240_000);
});
