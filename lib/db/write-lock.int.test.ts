// Read-then-write Prisma transactions on SQLite while another connection commits all the time (the ingest
// writer thread in production): they must wait for the write lock, not fail with "Operation has timed out".
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeAlertStatus } from "@/lib/alerts/alert-actions";
import { autoResolveAlerts } from "@/lib/alerts/auto-resolve";
import { recordPendingAlerts } from "@/lib/detect/record-alerts";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

/** A thread that commits a small write transaction every millisecond until terminated. */
function busyWriter(file: string, projectId: string): Worker {
  const code = `
    const { workerData } = require("node:worker_threads");
    const Database = require("better-sqlite3");
    const db = new Database(workerData.file, { timeout: 5000 });
    const touch = db.prepare('UPDATE projects SET "name" = "name" WHERE id = ?');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (;;) { touch.run(workerData.projectId); Atomics.wait(pause, 0, 0, 1); }
  `;
  return new Worker(code, { eval: true, workerData: { file, projectId } });
}

describe("read-then-write transactions on SQLite under a concurrent writer", () => {
  let t: TestDatabase;
  let writer: Worker | undefined;
  let projectId = "";
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    projectId = (await t.db.project.create({ data: { name: "busy" } })).id;
    writer = busyWriter(t.raw.provider === "sqlite" ? t.raw.file : "", projectId);
  });
  afterAll(async () => {
    await writer?.terminate();
    await t?.cleanup();
  });

  it("records every pending anomaly as alerts", async () => {
    let recorded = 0;
    for (let round = 0; round < 20; round++) {
      await t.db.anomaly.createMany({
        data: Array.from({ length: 5 }, (_, i) => ({
          projectId, traceId: `t-${round}-${i}`, detector: "latency", metric: "duration_ms", entity: `svc/agent-${i % 2}`,
          score: 0.9, severity: "medium", explanation: "latency 8.4 s vs usual 1.1 s", fingerprint: `fp-${i % 2}`, dedupKey: `busy-${round}-${i}`,
        })),
      });
      recorded += await recordPendingAlerts(t.db, "sqlite", new Date());
    }
    expect(recorded).toBe(100);
    expect(await t.db.anomaly.count({ where: { projectId, alertId: null } })).toBe(0);
  });

  it("acknowledges and resolves an alert, then auto-resolves the quiet one", async () => {
    const alerts = await t.db.alert.findMany({ where: { projectId }, orderBy: { fingerprint: "asc" } });
    expect(alerts).toHaveLength(2);
    const [first, second] = [alerts[0]!.id, alerts[1]!.id];
    expect((await changeAlertStatus(t.db, projectId, first, "acknowledge", new Date())).status).toBe("acknowledged");
    expect((await changeAlertStatus(t.db, projectId, first, "resolve", new Date())).status).toBe("resolved");
    expect(await autoResolveAlerts(t.db, { resolveAfterMs: 0, renotifyMs: 3_600_000 }, new Date(Date.now() + 1000))).toBe(1);
    expect((await t.db.alert.findUniqueOrThrow({ where: { id: second } })).status).toBe("resolved");
  });
});
