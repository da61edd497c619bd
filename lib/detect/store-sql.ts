// Provider-neutral access to the raw driver for the scorer: a few queries and one transaction helper.
// SQLite runs on the raw better-sqlite3 connection (BEGIN IMMEDIATE … COMMIT); PostgreSQL on one
// pooled client. Inside a transaction only this module's helpers touch the connection.
import type Database from "better-sqlite3";
import type pg from "pg";
import type { RawDb } from "@/lib/db";

export interface Sql {
  provider: "sqlite" | "postgresql";
  all<T>(sqlite: string, postgres: string, params?: readonly unknown[]): Promise<T[]>;
  /** Rows as arrays of column values (no per-row object with named keys: the hot read path). */
  rows(sqlite: string, postgres: string, params?: readonly unknown[]): Promise<unknown[][]>;
  run(sqlite: string, postgres: string, params?: readonly unknown[]): Promise<number>;
  /** SQLite only: the first row of a statement (synchronous). */
  getOne<T>(sqlite: string, params: readonly unknown[]): T | undefined;
  /** SQLite only: runs a prepared statement for every parameter row (fast bulk path). */
  runMany(sqlite: string, rows: readonly (readonly unknown[])[]): number;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function sqlFor(raw: RawDb, client?: pg.PoolClient): Sql {
  if (raw.provider === "sqlite") {
    const db = raw.sqlite;
    const prepare = (q: string, raw = false) => {
      let cache = statements.get(db);
      if (!cache) statements.set(db, (cache = new Map()));
      const key = raw ? `raw:${q}` : q;
      let stmt = cache.get(key);
      if (!stmt) {
        if (cache.size > 500) cache.clear();
        stmt = db.prepare(q);
        if (raw) stmt.raw(true);
        cache.set(key, stmt);
      }
      return stmt;
    };
    return {
      provider: "sqlite",
      async all<T>(q: string, _pg: string, params: readonly unknown[] = []) {
        return prepare(q).all(...(params as unknown[])) as T[];
      },
      async rows(q: string, _pg: string, params: readonly unknown[] = []) {
        return prepare(q, true).all(...(params as unknown[])) as unknown[][];
      },
      async run(q: string, _pg: string, params: readonly unknown[] = []) {
        return prepare(q).run(...(params as unknown[])).changes;
      },
      getOne<T>(q: string, params: readonly unknown[]) {
        return prepare(q).get(...(params as unknown[])) as T | undefined;
      },
      runMany(q, rows) {
        const stmt = prepare(q);
        let n = 0;
        for (const r of rows) n += stmt.run(...(r as unknown[])).changes;
        return n;
      },
    };
  }
  const target = client ?? raw.pool;
  return {
    provider: "postgresql",
    async all<T>(_s: string, q: string, params: readonly unknown[] = []) {
      return (await target.query(q, params as unknown[])).rows as T[];
    },
    async rows(_s: string, q: string, params: readonly unknown[] = []) {
      return (await target.query({ text: q, values: params as unknown[], rowMode: "array" })).rows as unknown[][];
    },
    async run(_s: string, q: string, params: readonly unknown[] = []) {
      return (await target.query(q, params as unknown[])).rowCount ?? 0;
    },
    getOne() {
      throw new Error("getOne is SQLite-only");
    },
    runMany() {
      throw new Error("runMany is SQLite-only");
    },
  };
}

export async function withTransaction<T>(raw: RawDb, fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (raw.provider === "sqlite") {
    raw.sqlite.exec("BEGIN IMMEDIATE");
    try {
      const result = await fn(sqlFor(raw));
      raw.sqlite.exec("COMMIT");
      return result;
    } catch (error) {
      if (raw.sqlite.inTransaction) raw.sqlite.exec("ROLLBACK");
      throw error;
    }
  }
  const client = await raw.pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(sqlFor(raw, client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** DateTime as Prisma stores it: ISO text with "+00:00" on SQLite, UTC timestamp(3) text on PostgreSQL. */
export function dbTime(sql: Pick<Sql, "provider">, d: Date): string {
  const iso = d.toISOString();
  return sql.provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1);
}

export function parseDbTime(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
}
