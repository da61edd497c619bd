// Test databases: a fresh SQLite file or a fresh PostgreSQL database per call, migrated.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrismaClient, type Db } from "@/lib/db";
import { openPgPool, openSqlite, pgConfigFromUrl, type RawDb } from "@/lib/db/open";
import { migrateDatabase } from "@/lib/db/setup";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

/** Base URL of the PostgreSQL server used by tests; only local servers are accepted. */
export const TEST_PG_URL = process.env.ARGUS_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  provider: Provider;
  /** Value for DATABASE_URL (a file: URL for SQLite). */
  databaseUrl: string;
  target: { databaseProvider: Provider; databaseTarget: string };
  db: Db;
  raw: RawDb;
  cleanup(): Promise<void>;
}

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run destructive tests against non-local database host ${host}`);
  }
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-test-"));
    const file = path.join(dir, "argus.db");
    const target = { databaseProvider: provider, databaseTarget: file } as const;
    await migrateDatabase(target);
    const db = createPrismaClient(target);
    const raw: RawDb = { provider, sqlite: openSqlite(file), file };
    return {
      provider,
      databaseUrl: `file:${file}`,
      target,
      db,
      raw,
      async cleanup() {
        await db.$disconnect();
        raw.sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, drop } = pgTestDatabase();
  const target = { databaseProvider: provider, databaseTarget: url } as const;
  await migrateDatabase(target);
  const db = createPrismaClient(target);
  const pool = openPgPool(url, 4);
  return {
    provider,
    databaseUrl: url,
    target,
    db,
    raw: { provider, pool, url },
    async cleanup() {
      await db.$disconnect();
      await pool.end();
      await drop();
    },
  };
}

/** The URL of a PostgreSQL test database of its own (created by whoever connects first: migrations or ensurePgDatabase), and its removal. */
export function pgTestDatabase(): { url: string; drop(): Promise<void> } {
  assertLocal(TEST_PG_URL);
  const base = new URL(TEST_PG_URL);
  const name = `argus_test_${randomBytes(5).toString("hex")}`;
  base.pathname = `/${name}`;
  return {
    url: base.toString(),
    async drop() {
      const admin = new pg.Client({ ...pgConfigFromUrl(TEST_PG_URL), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
