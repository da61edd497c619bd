// Every pooled PostgreSQL connection gets its session settings before its first query.
import { afterAll, describe, expect, it } from "vitest";
import { TEST_PG_URL } from "@/tests/helpers/db";
import { openPgPool } from "./open";

describe("PostgreSQL pool", () => {
  const pool = openPgPool(TEST_PG_URL, 3);
  afterAll(() => pool.end());

  it("sets lz4 TOAST compression on each new connection before handing it out, without overlapping queries", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => pool.query<{ default_toast_compression: string }>("SHOW default_toast_compression")));
      expect(results.map((r) => r.rows[0]!.default_toast_compression)).toEqual(Array(6).fill("lz4"));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
