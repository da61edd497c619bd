// The documented scale-out topology on one PostgreSQL: 2 web processes, 3 scorer processes sharing 6
// partitions and 2 notifiers, with a real webhook receiver. Load goes through both web ports; then every
// acknowledged span is stored, every span is scored by exactly one commit, and no anomaly, alert or
// notification is duplicated (in the database and at the receiver).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "@/tests/alerts/receiver";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import {
  caughtUp, commitsFromLogs, duplicatedActiveAlerts, duplicatedAnomalies, duplicatedNotifications, missingAcknowledged, overlappingCommits,
  progress, receivedDeliveries, undelivered, waitUntil,
} from "./harness/checks";
import { startLoad } from "./harness/load-client";
import { jsonLines, stopAll, webProcess, workerProcess, type ManagedProcess } from "./harness/processes";
import { prepareDatabase, type Prepared } from "./harness/setup";

describe("2 web + 3 scorer + 2 notifier processes on one PostgreSQL", () => {
  let t: TestDatabase;
  let prepared: Prepared;
  let receiver: Receiver;
  let webs: ManagedProcess[] = [];
  let scorers: ManagedProcess[] = [];
  let notifiers: ManagedProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    receiver = await startReceiver();
    prepared = await prepareDatabase(t.databaseUrl, `${receiver.url}/hook`);
    const env = { ARGUS_SCORER_PARTITIONS: "6", ARGUS_SCORER_LEASE_MS: "3000", ARGUS_TRACE_QUIET_MS: "200", ARGUS_LOG_LEVEL: "debug" };
    webs = [await webProcess("web-1", t.databaseUrl), await webProcess("web-2", t.databaseUrl)];
    scorers = [1, 2, 3].map((i) => workerProcess(`scorer-${i}`, "scorer", t.databaseUrl, env));
    notifiers = [1, 2].map((i) => workerProcess(`notifier-${i}`, "notifier", t.databaseUrl, env));
    await Promise.all([...webs, ...scorers, ...notifiers].map((p) => p.start()));
  }, 120_000);

  afterAll(async () => {
    await stopAll([...webs, ...scorers, ...notifiers]);
    await prepared?.db.$disconnect();
    await receiver?.close();
    await t?.cleanup();
  });

  it("scores every span exactly once and notifies once per alert event", async () => {
    const load = startLoad({
      urls: webs.map((w) => w.url!), apiKey: prepared.apiKey, rate: 8, retries: 5,
      workload: { seed: 5, traces: 4000, durationMs: 24 * 3_600_000, anomalyRate: 0.01, tracesPerRequest: 20 },
    });
    const { stats, acked } = await load.finished;
    expect(await missingAcknowledged(prepared.db, prepared.projectId, acked)).toEqual([]);
    await waitUntil("the scorers to catch up", async () => caughtUp(await progress(prepared.db)), 120_000, 500);
    await waitUntil("every notification delivered", async () => (await undelivered(prepared.db)) === 0, 60_000, 500);

    const commits = scorers.flatMap((s) => commitsFromLogs(s.name, jsonLines(s)));
    const delivered = await prepared.db.alertDelivery.count({ where: { status: "delivered" } });
    const received = receivedDeliveries(receiver.requests);
    const figures = {
      byStatus: stats.byStatus, ackedSpans: stats.ackedSpans, spans: (await progress(prepared.db)).spans,
      commitsPerScorer: scorers.map((s) => commits.filter((c) => c.worker === s.name).length),
      partitions: new Set(commits.map((c) => c.partition)).size,
      anomalies: await prepared.db.anomaly.count(), alerts: await prepared.db.alert.count(), delivered, received,
    };
    console.log("scale-out:", JSON.stringify(figures));

    // On a contended machine a web process may shed load (503 + Retry-After); the generator then retries.
    expect(Object.keys(stats.byStatus).every((s) => ["200", "429", "503"].includes(s))).toBe(true);
    expect(stats.missingRetryAfter).toBe(0);
    expect(overlappingCommits(commits)).toEqual([]);
    expect(figures.commitsPerScorer.every((n) => n > 0)).toBe(true);
    expect(figures.partitions).toBe(6);
    expect(await duplicatedAnomalies(prepared.db)).toEqual([]);
    expect(await duplicatedActiveAlerts(prepared.db)).toEqual([]);
    expect(await duplicatedNotifications(prepared.db)).toEqual([]);
    expect(delivered).toBeGreaterThan(0);
    expect(received).toEqual({ requests: delivered, distinctKeys: delivered });
  }, 300_000);
});
