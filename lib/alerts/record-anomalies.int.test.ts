import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { autoResolveAlerts } from "./auto-resolve";
import { fingerprintOf } from "@/lib/detect/types";
import { INCIDENT_JOIN_MS, recordAnomalies } from "./record-anomalies";
import type { AnomalyForAlert } from "./types";

const MIN = 60_000;
const policy = { resolveAfterMs: 30 * MIN, renotifyMs: 60 * MIN };

const CASES = PROVIDERS.map((provider) => ({ provider }));

describe.each(CASES)("recordAnomalies on $provider", ({ provider }) => {
  let t: TestDatabase;
  let projectId: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "p" } })).id;
    await t.db.notificationChannel.createMany({
      data: [
        { projectId, type: "slack", name: "slack", url: "http://127.0.0.1:9/slack", minSeverity: "low" },
        { projectId, type: "webhook", name: "pager", url: "http://127.0.0.1:9/hook", secret: "s", minSeverity: "critical" },
        { projectId, type: "webhook", name: "off", url: "http://127.0.0.1:9/off", minSeverity: "info", enabled: false },
      ],
    });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Runs recordAnomalies in a transaction; `after` runs inside it. */
  async function record(rows: AnomalyForAlert[], now: Date, after?: () => void): Promise<void> {
    await t.db.$transaction(async (tx) => {
      await recordAnomalies(tx, rows, now, policy);
      after?.();
    });
  }

  async function insertAnomalies(n: number, over: Partial<AnomalyForAlert> & { entity: string }, createdAt: Date): Promise<AnomalyForAlert[]> {
    const detector = over.detector ?? "latency";
    const fingerprint = fingerprintOf(projectId, detector, over.entity);
    const rows: AnomalyForAlert[] = Array.from({ length: n }, () => ({
      id: `an-${provider}-${++seq}`, projectId, detector, severity: "medium", score: 0.9, explanation: "latency 8.4 s vs usual 1.1 s",
      fingerprint, traceId: `trace-${seq}`, createdAt, observed: 8400, expected: 1100, ...over,
    }));
    await t.db.anomaly.createMany({
      data: rows.map((r) => ({
        id: r.id, projectId, traceId: r.traceId, detector, metric: "duration_ms", entity: r.entity, score: r.score, severity: r.severity,
        explanation: r.explanation, fingerprint, dedupKey: r.id, createdAt,
      })),
    });
    return rows;
  }

  it("turns a burst of 1,000 anomalies into one alert with count 1,000 and one notification per eligible channel", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const rows = await insertAnomalies(1000, { entity: "svc/burst" }, now);
    await record(rows, now);
    const alerts = await t.db.alert.findMany({ where: { entity: "svc/burst" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 1000, status: "open", severity: "medium", lastNotifiedSeverity: "medium" });
    expect(await t.db.anomaly.count({ where: { alertId: alerts[0]!.id } })).toBe(1000);
    const deliveries = await t.db.alertDelivery.findMany({ where: { alertId: alerts[0]!.id }, include: { channel: true } });
    expect(deliveries.map((d) => [d.channel.name, d.reason, d.status])).toEqual([["slack", "opened", "pending"]]);
    expect(deliveries[0]!.payload).toMatchObject({ reason: "opened", alert: { count: 1000, severity: "medium" }, anomaly: { observed: 8400, expected: 1100 } });
  });

  it("dedups later batches, escalates once severity rises, and keeps one active alert", async () => {
    const t0 = new Date("2026-01-02T00:00:00Z");
    await record(await insertAnomalies(3, { entity: "svc/esc" }, t0), t0);
    const t1 = new Date(t0.getTime() + MIN);
    await record(await insertAnomalies(2, { entity: "svc/esc" }, t1), t1);
    const t2 = new Date(t0.getTime() + 2 * MIN);
    await record(await insertAnomalies(1, { entity: "svc/esc", severity: "critical" }, t2), t2);

    const alert = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/esc" }, include: { deliveries: { include: { channel: true } } } });
    expect(alert).toMatchObject({ count: 6, severity: "critical", status: "open" });
    const sent = alert.deliveries.map((d) => `${d.reason}:${d.channel.name}`).sort();
    expect(sent).toEqual(["escalated:pager", "escalated:slack", "opened:slack"]);
    expect(new Set(alert.deliveries.map((d) => d.idempotencyKey)).size).toBe(3);
  });

  it("opens a new alert when the fingerprint recurs after the quiet period, resolving the old one", async () => {
    const t0 = new Date("2026-01-03T00:00:00Z");
    await record(await insertAnomalies(1, { entity: "svc/recur" }, t0), t0);
    const later = new Date(t0.getTime() + 45 * MIN);
    await record(await insertAnomalies(1, { entity: "svc/recur" }, later), later);

    const alerts = await t.db.alert.findMany({ where: { entity: "svc/recur" }, orderBy: { firstSeenAt: "asc" }, include: { deliveries: true } });
    expect(alerts.map((a) => [a.status, a.activeKey === null, a.count])).toEqual([["resolved", true, 1], ["open", false, 1]]);
    expect(alerts[0]!.resolvedAt).toEqual(new Date(t0.getTime() + 30 * MIN));
    expect(alerts[0]!.deliveries.map((d) => d.reason).sort()).toEqual(["opened", "resolved"]);
    expect(alerts[1]!.deliveries.map((d) => d.reason)).toEqual(["opened"]);
  });

  it("groups several fingerprints in one call and rolls everything back with the transaction", async () => {
    const now = new Date("2026-01-04T00:00:00Z");
    const a = await insertAnomalies(2, { entity: "svc/g1" }, now);
    const b = await insertAnomalies(3, { entity: "svc/g2", detector: "cost" }, now);
    await expect(
      record([...a, ...b], now, () => {
        throw new Error("caller failed after recording");
      }),
    ).rejects.toThrow("caller failed");
    expect(await t.db.alert.count({ where: { entity: { in: ["svc/g1", "svc/g2"] } } })).toBe(0);

    await record([...b, ...a], now);
    const counts = await t.db.alert.findMany({ where: { entity: { in: ["svc/g1", "svc/g2"] } }, select: { entity: true, count: true }, orderBy: { entity: "asc" } });
    expect(counts).toEqual([{ entity: "svc/g1", count: 2 }, { entity: "svc/g2", count: 3 }]);
  });
  it("auto-resolves quiet alerts once, telling the channels that heard about them, and leaves active ones", async () => {
    const t0 = new Date("2026-01-05T00:00:00Z");
    await record(await insertAnomalies(1, { entity: "svc/quiet" }, t0), t0);
    const later = new Date(t0.getTime() + 25 * MIN);
    await record(await insertAnomalies(1, { entity: "svc/busy" }, later), later);

    const now = new Date(t0.getTime() + 31 * MIN);
    await autoResolveAlerts(t.db, policy, now);
    expect(await autoResolveAlerts(t.db, policy, now)).toBe(0);
    const quiet = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/quiet" }, include: { deliveries: true } });
    const busy = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/busy" } });
    expect(quiet).toMatchObject({ status: "resolved", activeKey: null, resolvedAt: now });
    expect(quiet.deliveries.map((d) => d.reason).sort()).toEqual(["opened", "resolved"]);
    expect(quiet.deliveries.find((d) => d.reason === "resolved")!.payload).toMatchObject({ reason: "resolved", alert: { status: "resolved" } });
    expect(busy.status).toBe("open");
  });
  it("joins a trace's later signals to its open alert within the join window, not after it or once resolved", async () => {
    const t0 = new Date("2026-01-07T00:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const traceId = `run-${provider}`;
    const loop = await insertAnomalies(1, { entity: "svc/looper", detector: "loop", traceId, severity: "medium" }, t0);
    await record(loop, t0);
    // When the run ends: its chain length, more severe, joins the loop's alert, which stays headed by the loop.
    await record(await insertAnomalies(1, { entity: "svc/looper", detector: "chain_length", traceId, severity: "critical" }, at(30_000)), at(30_000));
    const alert = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/looper", detector: "loop" }, include: { deliveries: { include: { channel: true } } } });
    expect(alert).toMatchObject({ count: 2, severity: "critical", headlineAnomalyId: loop[0]!.id, title: "Loop anomaly on svc/looper" });
    // One problem, one message: the run's consequence does not escalate (not even to the critical channel).
    expect(alert.deliveries.map((d) => `${d.reason}:${d.channel.name}`)).toEqual(["opened:slack"]);

    // A signal of the same trace detected after the join window stands on its own fingerprint.
    const late = at(INCIDENT_JOIN_MS + 60_000);
    await record(await insertAnomalies(1, { entity: "svc/looper/search/-", traceId }, late), late);
    const lateAlert = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/looper/search/-" } });
    expect(lateAlert.id).not.toBe(alert.id);

    // Once its alert is resolved, a trace's new signal opens its own alert too.
    await t.db.alert.update({ where: { id: lateAlert.id }, data: { status: "resolved", activeKey: null, resolvedAt: late } });
    await t.db.alert.update({ where: { id: alert.id }, data: { status: "resolved", activeKey: null, resolvedAt: late } });
    const after = at(INCIDENT_JOIN_MS + 90_000);
    await record(await insertAnomalies(1, { entity: "svc/looper", detector: "fanout", traceId }, after), after);
    const fanout = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/looper", detector: "fanout" } });
    expect(fanout).toMatchObject({ status: "open", count: 1 });
  });

  // The raw SQLite connection is one per process (BEGIN IMMEDIATE cannot nest); SQLite writers in
  // separate processes are serialized by the database, so there is no in-process race to test there.
  it("keeps every anomaly when concurrent transactions update the same alert", async () => {
    const t0 = new Date("2026-01-06T00:00:00Z");
    await record(await insertAnomalies(1, { entity: "svc/race" }, t0), t0);
    const batches = await Promise.all(Array.from({ length: 4 }, (_, i) => insertAnomalies(10, { entity: "svc/race" }, new Date(t0.getTime() + 1000 + i))));
    await Promise.all(batches.map((rows, i) => record(rows, new Date(t0.getTime() + 1000 + i))));
    const alert = await t.db.alert.findFirstOrThrow({ where: { entity: "svc/race" }, include: { deliveries: true } });
    expect(alert.count).toBe(41);
    expect(await t.db.anomaly.count({ where: { alertId: alert.id } })).toBe(41);
    expect(alert.deliveries.map((d) => d.reason)).toEqual(["opened"]);
  });
});
