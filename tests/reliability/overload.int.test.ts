// Twice the maximum ingest rate (measured first with a closed loop) from a separate load generator
// process: the web process answers 429/503 with Retry-After rather than timing out or growing without
// bound, every span that got a 200 is stored, and it answers 200 again once the rate drops.
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
    const max = await measureMaxRate([web.url!], prepared.apiKey, 5_000);
    const rssAtStart = web.rssBytes();
    let rssPeak = rssAtStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, web.rssBytes())), 250);

    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate: 2 * max.rps, timeoutMs: 20_000 });
    const overloadAt = Date.now();
    // The maximum was measured under whatever else ran on the machine then: if twice that does not
    // overload the server now, raise the rate by half every 5 s until it does.
    let rate = 2 * max.rps;
    let raisedAt = overloadAt;
    await waitUntil("the server to shed load", async () => {
      if (load.countSince(overloadAt, 429) + load.countSince(overloadAt, 503) >= 20) return true;
      if (Date.now() - raisedAt > 5_000) {
        rate *= 1.5;
        raisedAt = Date.now();
        load.setRate(rate);
      }
      return false;
    }, 60_000);
    // Keep the pressure on for a while after the first rejections.
    const shedAt = Date.now();
    await waitUntil("ten more seconds of overload", async () => Date.now() - shedAt > 10_000, 20_000, 500);
    load.setRate(max.rps / 2);
    const dropAt = Date.now();
    await waitUntil("200s only after the load drops", async () => recovered(load.timeline, 30, dropAt), 60_000);
    const { stats, acked } = await load.stop();
    clearInterval(sampler);

    const figures = { maxRps: +max.rps.toFixed(1), overloadRps: +rate.toFixed(1), maxSpansPerSecond: Math.round(max.spansPerSecond), byStatus: stats.byStatus, ackedSpans: stats.ackedSpans, rssStartMb: Math.round(rssAtStart / 2 ** 20), rssPeakMb: Math.round(rssPeak / 2 ** 20), recoveryMs: Date.now() - dropAt };
    console.log("overload:", JSON.stringify(figures));
    expect(stats.networkErrors).toBe(0);
    expect(stats.missingRetryAfter).toBe(0);
    expect(Object.keys(stats.byStatus).every((s) => ["200", "429", "503"].includes(s))).toBe(true);
    expect(await missingAcknowledged(prepared.db, acked)).toEqual([]);
    expect(rssPeak).toBeLessThan(MAX_RSS_BYTES);
    expect(web.running()).toBe(true);
  }, 180_000);
});
