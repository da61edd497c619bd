// Every pooled PostgreSQL connection gets its session settings before its first query, and a connection
// that dies while checked out fails its user, not the process.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_PG_URL } from "@/tests/helpers/db";
import { openPgPool, pgConfigFromUrl } from "./open";

describe("PostgreSQL pool", () => {
  const pool = openPgPool(TEST_PG_URL, 3);
  afterAll(() => pool.end());

  it("sets lz4 TOAST compression and backend_flush_after on each new connection before handing it out, without overlapping queries", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          pool.query<{ toast: string; flush: string }>("SELECT current_setting('default_toast_compression') AS toast, current_setting('backend_flush_after') AS flush"),
        ),
      );
      expect(results.map((r) => r.rows[0])).toEqual(Array(6).fill({ toast: "lz4", flush: "256kB" }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("survives a checked-out connection dying between two queries (as in a transaction when PostgreSQL restarts)", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    const admin = new pg.Client(pgConfigFromUrl(TEST_PG_URL));
    await admin.connect();
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
      // The connection dies while no query is running on it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(client.query("SELECT 1")).rejects.toThrow();
      expect(uncaught).toEqual([]);
    } finally {
      client.release();
      process.off("uncaughtException", onUncaught);
      await admin.end();
    }
    expect((await pool.query<{ ok: number }>("SELECT 1 AS ok")).rows[0]!.ok).toBe(1);
  });
});
