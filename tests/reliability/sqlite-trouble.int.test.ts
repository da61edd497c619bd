// SQLite under trouble, with real processes and a separate load generator: another connection holding
// the write lock longer than the busy timeout, the disk filling up, and a read-only data directory.
// The server answers 503 + Retry-After and logs why, never 500 or a hang; the file stays intact; it
// serves again by itself when the lock is released or space returns.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caughtUp, integrityCheck, missingAcknowledged, progress, waitUntil } from "./harness/checks";
import { recovered, startLoad } from "./harness/load-client";
import { jsonLines, ROOT, stopAll, webProcess, workerProcess, type ManagedProcess } from "./harness/processes";
import { prepareDatabase, type Prepared } from "./harness/setup";
import { canMount, mountTmpfs, removeFile, type Tmpfs } from "./harness/tmpfs";

const ALLOWED = ["200", "429", "503"];

describe("SQLite write lock held longer than the busy timeout", () => {
  let dir: string;
  let prepared: Prepared;
  let web: ManagedProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "argus-busy-"));
    const url = `file:${path.join(dir, "argus.db")}`;
    prepared = await prepareDatabase(url);
    web = await webProcess("web", url, { ARGUS_SQLITE_BUSY_TIMEOUT_MS: "1000" });
    await web.start();
  }, 90_000);

  afterAll(async () => {
    await stopAll([web].filter(Boolean));
    await prepared?.db.$disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 + Retry-After while locked, logs it, and recovers when the lock is released", async () => {
    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate: 8 });
    await waitUntil("acknowledged spans before locking", async () => load.stats().ackedSpans >= 1000, 30_000);
    const locker = new Database(path.join(dir, "argus.db"));
    locker.prepare("BEGIN IMMEDIATE").run();
    const lockedAt = Date.now();
    await waitUntil("503s while locked", async () => load.countSince(lockedAt, 503) >= 10, 60_000);
    locker.prepare("ROLLBACK").run();
    locker.close();
    const releasedAt = Date.now();
    await waitUntil("200s again", async () => recovered(load.timeline, 20, releasedAt), 60_000);
    const { stats, acked } = await load.stop();
    console.log("sqlite busy:", JSON.stringify({ byStatus: stats.byStatus, ackedSpans: stats.ackedSpans, lockedMs: releasedAt - lockedAt }));

    expect(stats.networkErrors).toBe(0);
    expect(stats.missingRetryAfter).toBe(0);
    expect(Object.keys(stats.byStatus).every((s) => ALLOWED.includes(s))).toBe(true);
    expect(jsonLines(web).some((l) => l.msg === "database unavailable" && /locked|busy/i.test(String(l.error)))).toBe(true);
    expect(await missingAcknowledged(prepared.db, prepared.projectId, acked)).toEqual([]);
    expect(await integrityCheck(prepared.db)).toBe("ok");
  }, 150_000);
});

describe.skipIf(!canMount())("disk full and read-only data directory (tmpfs)", () => {
  let fs: Tmpfs;
  let prepared: Prepared;
  let web: ManagedProcess;
  let scorer: ManagedProcess;

  beforeAll(async () => {
    fs = mountTmpfs(64);
    const url = `file:${path.join(fs.dir, "argus.db")}`;
    prepared = await prepareDatabase(url);
    web = await webProcess("web", url);
    scorer = workerProcess("scorer", "scorer", url, { ARGUS_TRACE_QUIET_MS: "200" });
    await Promise.all([web.start(), scorer.start()]);
  }, 90_000);

  afterAll(async () => {
    await stopAll([web, scorer].filter(Boolean));
    await prepared?.db.$disconnect();
    fs?.unmount();
  });

  it("answers 503 + Retry-After when the disk is full, logs it, keeps the file intact and recovers when space returns", async () => {
    const load = startLoad({ urls: [web.url!], apiKey: prepared.apiKey, rate: 8 });
    await waitUntil("acknowledged spans before filling the disk", async () => load.stats().ackedSpans >= 1000, 30_000);
    const filler = fs.fill();
    const fullAt = Date.now();
    await waitUntil("503s while the disk is full", async () => load.countSince(fullAt, 503) >= 10, 60_000);
    removeFile(filler);
    const freedAt = Date.now();
    await waitUntil("200s again", async () => recovered(load.timeline, 20, freedAt), 60_000);
    const { stats, acked } = await load.stop();
    console.log("disk full:", JSON.stringify({ byStatus: stats.byStatus, ackedSpans: stats.ackedSpans, fullMs: freedAt - fullAt }));

    expect(stats.networkErrors).toBe(0);
    expect(stats.missingRetryAfter).toBe(0);
    expect(Object.keys(stats.byStatus).every((s) => ALLOWED.includes(s))).toBe(true);
    expect(jsonLines(web).some((l) => l.msg === "database disk full")).toBe(true);
    expect(await missingAcknowledged(prepared.db, prepared.projectId, acked)).toEqual([]);
    expect(await integrityCheck(prepared.db)).toBe("ok");
    // The scorer lived through it (its ticks failed and backed off) and catches up.
    await waitUntil("the scorer to catch up", async () => caughtUp(await progress(prepared.db)), 90_000, 500);
    expect(web.running() && scorer.running() && scorer.starts === 1).toBe(true);
  }, 180_000);

  it("refuses to start on a read-only data directory with one clear line", () => {
    const ro = mountTmpfs(1, true);
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts")], {
        cwd: ROOT, encoding: "utf8", timeout: 60_000,
        env: { ...process.env, ARGUS_DATA_DIR: path.join(ro.dir, "data"), DATABASE_URL: "", ARGUS_LOG_LEVEL: "info" },
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Data directory .* is not writable \(EROFS\); set ARGUS_DATA_DIR/)]);
    } finally {
      ro.unmount();
    }
  });
});
