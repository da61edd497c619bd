// Twice the maximum ingest rate (measured first with a closed loop) from a separate load generator
// process: the web process sheds with 429/503 + Retry-After, its memory stays bounded, every span that
// got a 200 is stored, and it answers 200 again once the rate drops. Known limit: a share of the
// requests still waits past the client timeout (see below and docs/ingestion.md).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingAcknowledged, waitUntil } from "./harness/checks";
import { measureMaxRate, recovered, startLoad } from "./harness/load-client";
import { stopAll, webProcess, type ManagedProcess } from "./harness/processes";
import { prepareDatabase, type Prepared } from "./harness/setup";

const MAX_RSS_BYTES = 1024 * 1024 * 1024;

describe("overload at twice the maximum rate (SQLite)", () => {
  let dir: string;
  let prepared: Prepared;
  let web: ManagedProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "argus-overload-"));
    const url = `file:${path.join(dir, "argus.db")}`;
    prepared = await prepareDatabase(url);
    web = await webProcess("web", url);
    await web.start();
  }, 90_000);

  afterAll(async () => {
    await stopAll([web].filter(Boolean));
    await prepared?.db.$disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sheds load with 429/503 + Retry-After, stores every acknowledged span and recovers", async () => {
    // 32 senders: fewer leave the server idle between answers and understate its capacity.
    const max = await measureMaxRate([web.url!], prepared.apiKey, 6_000, 32);
    const rssAtStart = web.rssBytes();
    let rssPeak = rssAtStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, web.rssBytes())), 250);

    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate: 2 * max.rps, timeoutMs: 20_000 });
    const overloadAt = Date.now();
    // The maximum was measured under whatever else ran on the machine then: if twice that does not
    // overload the server now, step up to 3× and then 4× (never more: the generator shares the CPU).
    let rate = 2 * max.rps;
    let steppedAt = overloadAt;
    await waitUntil("the server to shed load", async () => {
      if (load.countSince(overloadAt, 429) + load.countSince(overloadAt, 503) >= 20) return true;
      if (Date.now() - steppedAt > 15_000 && rate < 4 * max.rps) {
        rate += max.rps;
        steppedAt = Date.now();
        load.setRate(rate);
      }
      return false;
    }, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; ${load.describe()}`);
    });
    // Keep the pressure on for a while after the first rejections.
    const shedAt = Date.now();
    await waitUntil("ten more seconds of overload", async () => Date.now() - shedAt > 10_000, 20_000, 500);
    load.setRate(max.rps / 2);
    const dropAt = Date.now();
    await waitUntil("200s only after the load drops", async () => recovered(load.timeline, 30, dropAt), 60_000);
    const { stats, acked } = await load.stop();
    clearInterval(sampler);

    const figures = { maxRps: +max.rps.toFixed(1), overloadRps: +rate.toFixed(1), maxSpansPerSecond: Math.round(max.spansPerSecond), byStatus: stats.byStatus, timeouts: stats.timeouts ?? 0, ackedSpans: stats.ackedSpans, rssStartMb: Math.round(rssAtStart / 2 ** 20), rssPeakMb: Math.round(rssPeak / 2 ** 20), recoveryMs: Date.now() - dropAt };
    console.log("overload:", JSON.stringify(figures));
    // Shedding is done inside the web process, so turning a request away still costs it routing and
    // reading the body: past ~3× its capacity (with the generator on the same two cores) some requests
    // wait past the client timeout before they are answered. Most must get an answer; see docs/ingestion.md.
    expect(stats.networkErrors).toBeLessThan(stats.requests * 0.25);
    expect(stats.missingRetryAfter).toBe(0);
    expect(Object.keys(stats.byStatus).every((s) => ["0", "200", "429", "503"].includes(s))).toBe(true);
    expect(await missingAcknowledged(prepared.db, prepared.projectId, acked)).toEqual([]);
    expect(rssPeak).toBeLessThan(MAX_RSS_BYTES);
    expect(web.running(), `web process died: ${web.lines.slice(-8).join(" | ").slice(0, 2000)}`).toBe(true);
  }, 180_000);
});
