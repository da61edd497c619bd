// The spans time index is on startMinute (whole minutes of startNs); queries bound it and then filter on
// startNs. These check that the answers stay exact at the range's edges, mid-minute, and that the
// migration fills startMinute in for spans stored before it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgPool, openSqlite } from "@/lib/db/open";
import { ensurePgDatabase, loadMigrations, migratePg, migrateSqlite, migrationsDir } from "@/lib/db/migrate";
import { ingestSpans } from "@/lib/ingest/ingest-spans";
import { startMinuteOf } from "@/lib/ingest/span-row";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { retentionCutoff, DAY_MS } from "@/lib/retention/cutoff";
import { deleteExpiredBatch } from "@/lib/retention/delete-expired";
import { createTestDatabase, pgTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { hex, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { decodedSpansOf } from "@/tests/helpers/span-rows";
import { listAgentSteps } from "./agents";

const MINUTE_NS = 60_000_000_000n;
// Neither edge on a whole minute: the index's bounds then include part of a minute on each side.
const FROM_MS = Date.UTC(2026, 10, 20, 12, 0, 25, 500);
const TO_MS = Date.UTC(2026, 10, 20, 12, 7, 40, 250);
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

const span = (startNs: bigint, name: string): FixtureSpan => ({ traceId: hex(16), spanId: hex(8), name, startNs, endNs: startNs + 1_000_000n });

async function ingest(t: TestDatabase, projectId: string, spans: FixtureSpan[]): Promise<void> {
  await ingestSpans(decodedSpansOf(spans), { raw: t.raw, projectId, prices: DEFAULT_PRICES, receivedMs: Date.now() });
}

describe("startMinuteOf", () => {
  it.each([
    [0n, 0],
    [MINUTE_NS - 1n, 0],
    [MINUTE_NS, 1],
    [ns(Date.UTC(2026, 10, 20, 12, 0, 59, 999)) + 999_999n, Date.UTC(2026, 10, 20, 12, 0) / 60_000],
    [9_223_372_036_854_775_807n, 153_722_867], // the largest int64: still an int4
  ])("%s ns is minute %s", (startNs, minute) => {
    expect(startMinuteOf(startNs)).toBe(minute);
  });
});

describe.each(PROVIDERS)("spans time index on %s", (provider) => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await t.db.project.create({ data: { name: "p" } })).id;
  });
  afterAll(async () => t?.cleanup());

  it("stores each span's start minute", async () => {
    await ingest(t, projectId, [span(ns(FROM_MS) + 123n, "stored-minute")]);
    const row = await t.db.span.findFirstOrThrow({ where: { projectId, name: "stored-minute" } });
    expect(row.startMinute).toBe(Math.floor(FROM_MS / 60_000));
  });

  it("counts a span in a time range exactly at the range's edges", async () => {
    const edges = await t.db.project.create({ data: { name: "edges" } });
    await ingest(t, edges.id, [
      span(ns(FROM_MS) - 1n, "before"), // same minute as FROM, 1 ns early
      span(ns(FROM_MS), "first"),
      span(ns(FROM_MS) + 3n * MINUTE_NS, "middle"),
      span(ns(TO_MS) - 1n, "last"),
      span(ns(TO_MS), "after"), // same minute as TO
      span(ns(FROM_MS) - MINUTE_NS, "minute-before"),
      span(ns(TO_MS) + MINUTE_NS, "minute-after"),
    ]);
    const { agents } = await listAgentSteps(t.raw, edges.id, { fromMs: FROM_MS, toMs: TO_MS });
    const steps = agents.flatMap((a) => a.steps as { step: string; spans: number }[]);
    expect(steps.map((s) => s.step).sort()).toEqual(["first", "last", "middle"]);
  });

  it("retention deletes spans that started before the cutoff, to the nanosecond", async () => {
    const kept = await t.db.project.create({ data: { name: "retention" } });
    const cutoff = retentionCutoff(TO_MS + 30 * DAY_MS, 30)!;
    expect(cutoff.ms).toBe(TO_MS);
    await ingest(t, kept.id, [span(ns(TO_MS) - 1n, "expired"), span(ns(TO_MS) - 5n * MINUTE_NS, "expired-earlier"), span(ns(TO_MS), "kept")]);
    while ((await deleteExpiredBatch(t.db, kept.id, cutoff, 1)).spans > 0);
    expect((await t.db.span.findMany({ where: { projectId: kept.id }, select: { name: true } })).map((s) => s.name)).toEqual(["kept"]);
  });
});

describe.each(PROVIDERS)("span_start_minute migration on %s", (provider) => {
  const all = loadMigrations(migrationsDir(provider));
  const index = all.findIndex((m) => m.name.endsWith("_span_start_minute"));
  const before = all.slice(0, index);
  const insertOld = `INSERT INTO projects (id, name) VALUES ('p', 'p');
    INSERT INTO spans ("projectId", "traceId", "spanId", name, kind, service, step, "startNs", "endNs", "durationMs", attributes, "receivedMs")
    VALUES ('p', '${"a".repeat(32)}', '${"b".repeat(16)}', 's', 'other', 'svc', 's', ${ns(FROM_MS)}, ${ns(FROM_MS) + 1n}, 0, '{}', 0)`;

  it("fills in startMinute for spans stored before it", async () => {
    expect(index).toBeGreaterThan(0);
    if (provider === "sqlite") {
      const dir = mkdtempSync(path.join(os.tmpdir(), "argus-migration-"));
      const db = openSqlite(path.join(dir, "argus.db"));
      try {
        migrateSqlite(db, before);
        db.exec(insertOld);
        expect(migrateSqlite(db, all)).toEqual(all.slice(index).map((m) => m.name));
        expect(db.prepare(`SELECT "startMinute" AS m FROM spans`).get()).toEqual({ m: Math.floor(FROM_MS / 60_000) });
      } finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
      return;
    }
    const { url, drop } = pgTestDatabase();
    await ensurePgDatabase(url);
    const pool = openPgPool(url, 1);
    try {
      await migratePg(pool, before);
      await pool.query(insertOld);
      expect(await migratePg(pool, all)).toEqual(all.slice(index).map((m) => m.name));
      expect((await pool.query(`SELECT "startMinute" AS m FROM spans`)).rows).toEqual([{ m: Math.floor(FROM_MS / 60_000) }]);
    } finally {
      await pool.end();
      await drop();
    }
  });
});
