// PostgreSQL restarted (immediate shutdown, like a crash) under load, on a throwaway cluster: the web
// process answers 503 + Retry-After while it is down (never 500, never a hung request), every span
// that got a 200 is stored, and the web process and the workers reconnect and catch up by themselves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caughtUp, missingAcknowledged, progress, waitUntil } from "./harness/checks";
import { startLoad } from "./harness/load-client";
import { createPgCluster, pgAvailable, type PgCluster } from "./harness/pg-cluster";
import { jsonLines, stopAll, webProcess, workerProcess, type ManagedProcess } from "./harness/processes";
import { prepareDatabase, type Prepared } from "./harness/setup";
import { freePort } from "@/tests/helpers/server";

describe.skipIf(!pgAvailable())("PostgreSQL restarted under load", () => {
  let cluster: PgCluster;
  let prepared: Prepared;
  const procs: ManagedProcess[] = [];

  beforeAll(async () => {
    cluster = createPgCluster(await freePort());
    const url = cluster.urlFor("argus");
    prepared = await prepareDatabase(url);
    const web = await webProcess("web", url);
    const scorer = workerProcess("scorer", "scorer", url, { ARGUS_TRACE_QUIET_MS: "200", ARGUS_LOG_LEVEL: "debug" });
    const notifier = workerProcess("notifier", "notifier", url);
    procs.push(web, scorer, notifier);
    await Promise.all([scorer.start(), notifier.start(), web.start()]);
  }, 90_000);

  afterAll(async () => {
    await stopAll(procs);
    await prepared?.db.$disconnect();
    cluster?.destroy();
  });

  it("answers 503 with Retry-After while it is down, loses no acknowledged span and recovers", async () => {
    const web = procs[0]!;
    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate: 10, timeoutMs: 20_000 });
    await waitUntil("acknowledged spans before the restart", async () => load.stats().ackedSpans >= 1000, 30_000);
    cluster.stop("immediate");
    const downAt = Date.now();
    // Down long enough for pooled connections to die and the workers to fail a few ticks.
    await waitUntil("503s while PostgreSQL is down", async () => load.countSince(downAt, 503) >= 40, 30_000, 50);
    const health = await fetch(`${web.url}/api/health`);
    expect(health.status).toBe(503);
    cluster.start();
    const upAt = Date.now();
    await waitUntil("200s again after PostgreSQL is back", async () => load.countSince(upAt, 200) >= 20, 45_000, 100);
    const { stats, acked } = await load.stop();
    console.log("postgres restart:", JSON.stringify({ byStatus: stats.byStatus, ackedSpans: stats.ackedSpans, networkErrors: stats.networkErrors, downMs: upAt - downAt }));

    expect(stats.byStatus["500"] ?? 0).toBe(0);
    expect(stats.networkErrors).toBe(0);
    expect(stats.missingRetryAfter).toBe(0);
    expect(Object.keys(stats.byStatus).sort()).toEqual(expect.arrayContaining(["200", "503"]));
    expect(Object.keys(stats.byStatus).every((s) => ["200", "429", "503"].includes(s))).toBe(true);
    expect(await missingAcknowledged(prepared.db, prepared.projectId, acked)).toEqual([]);
    expect(jsonLines(web).some((l) => l.msg === "database unavailable")).toBe(true);

    // The workers reconnect: everything stored gets scored, and they are still the same processes.
    await waitUntil("the scorer to catch up", async () => caughtUp(await progress(prepared.db)), 60_000, 500).catch(async (error) => {
      console.log("not caught up:", JSON.stringify(await progress(prepared.db)), procs.map((p) => `${p.name} running=${p.running()} starts=${p.starts}`));
      for (const p of procs) for (const l of p.lines.slice(-12)) console.log(p.name, l.slice(0, 600));
      throw error;
    });
    expect(procs.every((p) => p.running() && p.starts === 1)).toBe(true);
    expect((await fetch(`${web.url}/api/health`)).status).toBe(200);
  }, 150_000);
});
