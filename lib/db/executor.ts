// Runs Sql statements on the raw drivers, the same way on both: SQLite on the better-sqlite3
// connection (statements prepared once and cached), PostgreSQL on the pool or, inside a transaction,
// on one pooled client. Prisma stays the way to do CRUD; this is for the statements it cannot express
// or does too slowly (span writes, the scorer, read models over many rows).
import type Database from "better-sqlite3";
import type pg from "pg";
import type { RawDb } from "./open";
import { render, type Sql } from "./sql";
import { normalizeRow, type Dialect, type Row } from "./sql-values";

export interface QueryOptions {
  /** PostgreSQL: run as a named prepared statement (parsed once per connection); for a hot statement of fixed text. */
  name?: string;
}

export interface Executor {
  readonly dialect: Dialect;
  /** Rows as objects; integers beyond 2^53 as exact decimal strings, the rest as numbers (normalizeRow). */
  all<T = Row>(query: Sql, options?: QueryOptions): Promise<T[]>;
  one<T = Row>(query: Sql, options?: QueryOptions): Promise<T | undefined>;
  /**
   * Rows as arrays in select-list order, as the drivers return them (the hot read paths: arrays cost
   * about half as much to build as objects). SQLite integers are numbers, exact only below 2^53 (cast
   * larger ones to TEXT); PostgreSQL int8 is a BigInt (cast to float8 where a number will do: float8()).
   */
  arrays(query: Sql): Promise<unknown[][]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(query: Sql): Promise<number>;
}

type StatementMode = "rows" | "arrays" | "run";
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const STATEMENT_CACHE_LIMIT = 500;

function prepared(db: Database.Database, text: string, mode: StatementMode): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = mode + text;
  let statement = cache.get(key);
  if (!statement) {
    if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear();
    statement = db.prepare(text);
    if (mode === "rows") statement.safeIntegers(true);
    if (mode === "arrays") statement.raw(true);
    cache.set(key, statement);
  }
  return statement;
}

function sqliteExecutor(db: Database.Database): Executor {
  const statementOf = (query: Sql, mode: StatementMode) => {
    const { text, values } = render(query, "sqlite");
    return { statement: prepared(db, text, mode), values };
  };
  return {
    dialect: "sqlite",
    async all<T>(query: Sql) {
      const { statement, values } = statementOf(query, "rows");
      return (statement.all(...values) as Row[]).map(normalizeRow) as T[];
    },
    async one<T>(query: Sql) {
      const { statement, values } = statementOf(query, "rows");
      const row = statement.get(...values) as Row | undefined;
      return (row && normalizeRow(row)) as T | undefined;
    },
    async arrays(query: Sql) {
      const { statement, values } = statementOf(query, "arrays");
      return statement.all(...values) as unknown[][];
    },
    async run(query: Sql) {
      const { statement, values } = statementOf(query, "run");
      return statement.run(...values).changes;
    },
  };
}

function postgresExecutor(target: pg.Pool | pg.PoolClient): Executor {
  const rowsOf = async (query: Sql, options?: QueryOptions) => {
    const { text, values } = render(query, "postgresql");
    return (await target.query<Row>({ text, values, name: options?.name })).rows.map(normalizeRow);
  };
  return {
    dialect: "postgresql",
    async all<T>(query: Sql, options?: QueryOptions) {
      return (await rowsOf(query, options)) as T[];
    },
    async one<T>(query: Sql, options?: QueryOptions) {
      return (await rowsOf(query, options))[0] as T | undefined;
    },
    async arrays(query: Sql) {
      const { text, values } = render(query, "postgresql");
      return (await target.query<unknown[]>({ text, values, rowMode: "array" })).rows;
    },
    async run(query: Sql) {
      const { text, values } = render(query, "postgresql");
      return (await target.query({ text, values })).rowCount ?? 0;
    },
  };
}

export function executorFor(raw: RawDb): Executor {
  return raw.provider === "sqlite" ? sqliteExecutor(raw.sqlite) : postgresExecutor(raw.pool);
}

/**
 * Runs `fn` in one transaction: BEGIN IMMEDIATE on SQLite (the write lock up front), one pooled client
 * on PostgreSQL. Inside, only the executor passed to `fn` may touch the connection.
 */
export async function inTransaction<T>(raw: RawDb, fn: (ex: Executor) => Promise<T>): Promise<T> {
  if (raw.provider === "sqlite") {
    raw.sqlite.exec("BEGIN IMMEDIATE");
    try {
      const result = await fn(sqliteExecutor(raw.sqlite));
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
    const result = await fn(postgresExecutor(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
