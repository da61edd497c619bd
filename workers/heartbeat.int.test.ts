// Worker heartbeats are per process: several processes of one worker each report their own liveness, a
// restarted worker does not leave its dead predecessor behind, and long-silent rows are forgotten.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countLiveWorkers, readWorkerLiveness, WORKER_STALE_MS } from "@/lib/health";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { beat, forgetGoneProcesses, FORGET_AFTER_MS, processRunning, removeHeartbeat, thisInstance, type WorkerInstance } from "./heartbeat";

const instance = (name: string, host: string, pid: number): WorkerInstance => ({ id: `${name}@${host}:${pid}`, name, host, pid });

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe.each(PROVIDERS)("worker heartbeats on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("reports each process of a worker on its own, alive or not", async () => {
    const now = new Date();
    await beat(t.db, instance("scorer", "host-a", 101), now, { lag: 1 });
    await beat(t.db, instance("scorer", "host-b", 101), now, { lag: 2 });
    await beat(t.db, instance("scorer", "host-b", 101), now, { lag: 3 });
    const later = new Date(Date.now() + WORKER_STALE_MS / 2);
    await beat(t.db, instance("notifier", "host-a", 7), now, null);

    const live = await readWorkerLiveness(t.db, later);
    expect(live.map(({ name, host, pid, alive, stats }) => ({ name, host, pid, alive, stats }))).toEqual([
      { name: "notifier", host: "host-a", pid: 7, alive: true, stats: null },
      { name: "scorer", host: "host-a", pid: 101, alive: true, stats: { lag: 1 } },
      { name: "scorer", host: "host-b", pid: 101, alive: true, stats: { lag: 3 } },
    ]);
    expect((await readWorkerLiveness(t.db, new Date(Date.now() + WORKER_STALE_MS * 2))).every((w) => !w.alive)).toBe(true);
    await t.db.workerHeartbeat.deleteMany();
  });

  it("counts the live processes of one worker, as health reports them", async () => {
    const now = new Date();
    await beat(t.db, instance("scorer", "host-a", 1), now, null);
    await beat(t.db, instance("scorer", "host-b", 2), now, null);
    await beat(t.db, instance("notifier", "host-a", 3), now, null);
    await t.db.workerHeartbeat.update({ where: { id: instance("scorer", "host-b", 2).id }, data: { beatAt: new Date(now.getTime() - WORKER_STALE_MS - 1_000) } });
    expect(await countLiveWorkers(t.db, "scorer", now)).toBe(1);
    expect(await countLiveWorkers(t.db, "notifier", now)).toBe(1);
    expect(await countLiveWorkers(t.db, "retention", now)).toBe(0);
    const alive = (await readWorkerLiveness(t.db, now)).filter((w) => w.name === "scorer" && w.alive);
    expect(alive).toHaveLength(1);
    await t.db.workerHeartbeat.deleteMany();
  });

  it("at start, forgets this worker's processes on this host that are gone, and nothing else", async () => {
    const me = thisInstance("scorer");
    const gone = await exitedPid();
    expect(processRunning(gone)).toBe(false);
    const now = new Date();
    const rows = [
      instance("scorer", me.host, gone), // killed earlier: forgotten
      instance("scorer", me.host, process.ppid), // another live scorer process on this host: kept
      instance("scorer", "elsewhere", gone), // another host: its own processes decide
      instance("notifier", me.host, gone), // another worker: its own start decides
    ];
    for (const row of rows) await beat(t.db, row, now, null);
    await beat(t.db, me, now, null);

    await forgetGoneProcesses(t.db, me);
    const ids = (await t.db.workerHeartbeat.findMany({ select: { id: true } })).map((r) => r.id).sort();
    expect(ids).toEqual([rows[1]!.id, rows[2]!.id, rows[3]!.id, me.id].sort());

    await removeHeartbeat(t.db, me);
    expect(await t.db.workerHeartbeat.count({ where: { id: me.id } })).toBe(0);
    await t.db.workerHeartbeat.deleteMany();
  });

  it("forgets a process that has not beaten for an hour when any worker beats", async () => {
    const longAgo = new Date(Date.now() - FORGET_AFTER_MS - 60_000);
    await t.db.workerHeartbeat.create({ data: { ...instance("scorer", "scaled-down", 1), startedAt: longAgo, beatAt: longAgo } });
    await t.db.workerHeartbeat.create({ data: { ...instance("scorer", "crashed-recently", 1), startedAt: longAgo, beatAt: new Date(Date.now() - 60_000) } });
    await beat(t.db, instance("notifier", "host-a", 7), new Date(), null);
    const hosts = (await t.db.workerHeartbeat.findMany({ orderBy: { host: "asc" } })).map((r) => r.host);
    expect(hosts).toEqual(["crashed-recently", "host-a"]);
    await t.db.workerHeartbeat.deleteMany();
  });
});
