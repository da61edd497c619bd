// kill -9 of a real notifier process in the middle of a delivery: after a restart the notification
// is delivered, never lost, and repeated at most once with the same idempotency key.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { seedAlertWithDeliveries, seedChannel } from "./fixtures";
import { startReceiver, type Receiver } from "./receiver";
import { waitFor } from "./wait-for";

const ROOT = path.resolve(import.meta.dirname, "../..");

function startNotifierProcess(databaseUrl: string): ChildProcess {
  // `node --import tsx` keeps the worker in this one process, so SIGKILL hits the process doing the HTTP call.
  return spawn(process.execPath, ["--import", "tsx", "workers/main.ts", "notifier"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ARGUS_DELIVERY_TIMEOUT_MS: "1000", ARGUS_PUBLIC_URL: "http://argus.test", ARGUS_LOG_LEVEL: "error", OTEL_EXPORTER_OTLP_ENDPOINT: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

describe.each(PROVIDERS)("notifier process killed mid-delivery on %s", (provider) => {
  let t: TestDatabase;
  let receiver: Receiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await receiver?.close();
    await t?.cleanup();
  });

  it("delivers after a restart, once per idempotency key", async () => {
    const project = await t.db.project.create({ data: { name: "crash" } });
    const channel = await seedChannel(t.db, project.id, { url: `${receiver.url}/hook`, secret: "s" });
    const { deliveries } = await seedAlertWithDeliveries(t.db, project.id, [channel.id]);
    const id = deliveries[0]!.id;

    const first = startNotifierProcess(t.databaseUrl);
    children.push(first);
    // The receiver holds the first request open and kills the notifier while it waits for the answer.
    receiver.respond = () => ({ hang: true });
    receiver.onRequest = () => first.kill("SIGKILL");
    expect(await exited(first)).toMatchObject({ signal: "SIGKILL" });
    expect(receiver.requests).toHaveLength(1);
    expect(await t.db.alertDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sending", attempts: 1 });

    receiver.onRequest = undefined;
    receiver.respond = () => ({ status: 200 });
    const second = startNotifierProcess(t.databaseUrl);
    children.push(second);
    const row = await waitFor(async () => {
      const r = await t.db.alertDelivery.findUniqueOrThrow({ where: { id } });
      return r.status === "delivered" ? r : null;
    }, { timeoutMs: 30_000, intervalMs: 100, what: "delivery after restart" });

    expect(row.attempts).toBe(2);
    expect(receiver.requests).toHaveLength(2);
    expect(new Set(receiver.requests.map((r) => r.headers["x-argus-idempotency-key"]))).toEqual(new Set([row.idempotencyKey]));
    expect(receiver.requests.filter((r) => r.answered === 200)).toHaveLength(1);
    expect(await t.db.deliveryAttempt.findMany({ where: { deliveryId: id } })).toMatchObject([{ attempt: 2, statusCode: 200 }]);

    second.kill("SIGTERM");
    expect(await exited(second)).toMatchObject({ code: 0 });
    expect(receiver.requests).toHaveLength(2);
  });
});
