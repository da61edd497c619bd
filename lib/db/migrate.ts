// Applies the committed SQL migrations (prisma/migrations/<provider>/<name>/migration.sql).
// Re-running is a no-op; concurrent runs are serialized by a lock (BEGIN IMMEDIATE on SQLite,
// an advisory lock on PostgreSQL).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import pg from "pg";
import { ConfigError } from "../env";
import { pgConfigFromUrl } from "./open";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_TABLE = "_argus_migrations";
const PG_LOCK_ID = 4_242_001;

export function migrationsDir(provider: "sqlite" | "postgresql"): string {
  return path.join(process.cwd(), "prisma", "migrations", provider);
}

export function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new ConfigError(`Migrations directory ${dir} not found; run Argus from the repository root`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function assertUnchanged(applied: Map<string, string>, migrations: Migration[]): void {
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new ConfigError(`Migration ${m.name} was changed after it was applied; restore it and add a new migration instead`);
    }
  }
}

/** Returns the names of the migrations it applied. */
export function migrateSqlite(db: Database.Database, migrations: Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const run = db.transaction(() => {
    const rows = db.prepare(`SELECT name, checksum FROM ${MIGRATIONS_TABLE}`).all() as { name: string; checksum: string }[];
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    assertUnchanged(applied, migrations);
    const pending = migrations.filter((m) => !applied.has(m.name));
    const insert = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, applied_at) VALUES (?, ?, ?)`);
    for (const m of pending) {
      db.exec(m.sql);
      insert.run(m.name, m.checksum, new Date().toISOString());
    }
    return pending.map((m) => m.name);
  });
  return run.immediate();
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensurePgDatabase(url: string): Promise<void> {
  const config = pgConfigFromUrl(url);
  const name = config.database!;
  const admin = new pg.Client({ ...config, database: "postgres", connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new ConfigError(`Cannot reach PostgreSQL at ${config.host}:${config.port} (${(error as Error).message}); check DATABASE_URL`);
  }
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created concurrently by another process
      });
    }
  } finally {
    await admin.end();
  }
}

export async function migratePg(pool: pg.Pool, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${MIGRATIONS_TABLE}`);
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    assertUnchanged(applied, migrations);
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return pending.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_ID]).catch(() => {});
    client.release();
  }
}
