// PostgreSQL ingest transactions insert side by side; a scoring worker reads only up to a limit below
// which every seq is committed, and writers of one trace still go one at a time.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSpanBatch } from "../detect/store-spans";
import { executorFor } from "../db/executor";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, hex } from "@/tests/helpers/otlp-fixtures";
import { spanRowsOf as rowsOf } from "@/tests/helpers/span-rows";
import { committedSeqLimit, SEQ_LIMIT_WAIT_MS, SHARED_SEQ_LOCK, traceLocksQuery } from "./seq-lock";
import { writeBatchesPostgres } from "./write-postgres";


/** Settles within `ms`? (false while it is still waiting). */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe("PostgreSQL seq lock", () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    if (t.raw.provider !== "postgresql") throw new Error("expected PostgreSQL");
    pool = t.raw.pool;
    projectId = (await t.db.project.create({ data: { name: "seq-lock" } })).id;
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** An ingest transaction left open: it holds what a writer holds while it inserts. */
  async function openIngestTransaction(traceIds: string[]): Promise<pg.PoolClient> {
    const client = await pool.connect();
    await client.query(["BEGIN", SHARED_SEQ_LOCK, traceLocksQuery(traceIds)].join(";\n"));
    return client;
  }

  it("lets writers of other traces commit while one is open, and the committed limit waits for it", async () => {
    const open = await openIngestTransaction([hex(16)]);
    try {
      const [result] = await writeBatchesPostgres(pool, [rowsOf(projectId, agentTrace())]);
      expect(result!.inserted).toBe(3);

      const limit = committedSeqLimit(pool);
      expect(await settlesWithin(limit, 300)).toBe(false);
      await open.query("COMMIT");
      expect(await settlesWithin(limit, 5_000)).toBe(true);
      const maxSeq = (await pool.query<{ max: bigint }>("SELECT max(seq) AS max FROM spans")).rows[0]!.max;
      expect(await limit).toBe(Number(maxSeq));
    } finally {
      open.release();
    }
  });

  it("gives up on the limit (0: read nothing this time) when a writer stays open too long, and writers go on", async () => {
    const stuck = await openIngestTransaction([hex(16)]);
    try {
      const started = performance.now();
      const limit = committedSeqLimit(pool);
      expect(await settlesWithin(limit, SEQ_LIMIT_WAIT_MS + 3_000)).toBe(true);
      expect(await limit).toBe(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(SEQ_LIMIT_WAIT_MS - 50);
      expect(await settlesWithin(writeBatchesPostgres(pool, [rowsOf(projectId, agentTrace())]), 5_000)).toBe(true);
    } finally {
      await stuck.query("COMMIT");
      stuck.release();
    }
    expect(await committedSeqLimit(pool)).toBeGreaterThan(0);
  });

  it("reads only up to the limit: a span committed later with a lower seq is not skipped", async () => {
    const before = await committedSeqLimit(pool);
    const slow = await openIngestTransaction([hex(16)]);
    // The slow transaction takes its seq first and commits last.
    const slowTrace = agentTrace();
    const slowRows = rowsOf(projectId, slowTrace);
    const { rows: taken } = await slow.query<{ seq: bigint }>("SELECT nextval(pg_get_serial_sequence('spans', 'seq')) AS seq");
    await writeBatchesPostgres(pool, [rowsOf(projectId, agentTrace())]);

    const limitPromise = committedSeqLimit(pool);
    await slow.query(
      `INSERT INTO spans (seq, "projectId", "traceId", "spanId", name, kind, service, step, "startNs", "endNs", "durationMs", attributes, "receivedMs")
       VALUES ($1, $2, $3, $4, 'late', 'other', 'svc', 'late', 1, 2, 0, '{}', 0)`,
      [taken[0]!.seq, projectId, slowRows[0]!.traceId, slowRows[0]!.spanId],
    );
    await slow.query("COMMIT");
    slow.release();
    const limit = await limitPromise;

    const read = await readSpanBatch(executorFor(t.raw), null, before, 1_000, limit);
    expect(read.map((s) => s.seq)).toContain(Number(taken[0]!.seq));
    expect(read.map((s) => s.seq)).toEqual([...read.map((s) => s.seq)].sort((a, b) => a - b));
    expect(read.every((s) => s.seq <= limit)).toBe(true);
    expect(read).toHaveLength(4);

    // After the limit was taken: a transaction holds a seq open while a later one commits. A read up to
    // the limit leaves the committed one for later, so the cursor cannot pass the open one.
    const open = await openIngestTransaction([hex(16)]);
    await open.query("SELECT nextval(pg_get_serial_sequence('spans', 'seq'))");
    await writeBatchesPostgres(pool, [rowsOf(projectId, agentTrace())]);
    const again = await readSpanBatch(executorFor(t.raw), null, before, 1_000, limit);
    expect(again.map((s) => s.seq)).toEqual(read.map((s) => s.seq));
    await open.query("ROLLBACK");
    open.release();
  });

  it("makes a writer of the same trace wait, so it sees the agent span written before it", async () => {
    const [root, child] = agentTrace();
    const held = await openIngestTransaction([root!.traceId]);
    await held.query(
      `INSERT INTO spans ("projectId", "traceId", "spanId", name, kind, service, agent, step, "startNs", "endNs", "durationMs", attributes, "receivedMs")
       VALUES ($1, $2, $3, 'invoke_agent planner', 'agent', 'svc', 'planner', 'invoke_agent planner', 1, 2, 0, '{}', 0)`,
      [projectId, root!.traceId, root!.spanId],
    );
    const write = writeBatchesPostgres(pool, [rowsOf(projectId, [child!])]);
    expect(await settlesWithin(write, 300)).toBe(false);
    // A writer of another trace is not held up meanwhile.
    expect(await settlesWithin(writeBatchesPostgres(pool, [rowsOf(projectId, agentTrace())]), 5_000)).toBe(true);
    await held.query("COMMIT");
    held.release();
    await write;
    const stored = await t.db.span.findFirst({ where: { projectId, spanId: child!.spanId } });
    expect(stored?.agent).toBe("planner");
  });

  it("lets many writers of overlapping traces and rollups run at once without a deadlock", async () => {
    const traces = Array.from({ length: 6 }, () => agentTrace());
    // Each write mixes three of the six traces, in different orders; all share the same rollup rows.
    const writes = Array.from({ length: 12 }, (_, i) => {
      const picked = [traces[i % 6]!, traces[(i + 2) % 6]!, traces[(i + 5) % 6]!];
      return writeBatchesPostgres(pool, [rowsOf(projectId, (i % 2 ? picked.reverse() : picked).flat())]);
    });
    const results = (await Promise.all(writes)).flat();
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(18);
  });
});
