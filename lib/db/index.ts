// One database module: the Prisma client for reads and CRUD, the raw driver for bulk span writes.
// Both are cached on globalThis so Next's dev reloads and route bundles share one connection set.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client";
import { getEnv, type Env } from "../env";
import { executorFor } from "./executor";
import { sql, type Dialect } from "./sql";
import { DEFAULT_SQLITE_BUSY_TIMEOUT_MS, openRaw, pgConfigFromUrl, prepareSqliteFile, type RawDb } from "./open";

/** The Prisma client type. Both providers' clients share the model API; SQLite's types stand for both. */
export type Db = PrismaClient;
export type { RawDb } from "./open";

type Target = Pick<Env, "databaseProvider" | "databaseTarget"> & Partial<Pick<Env, "ARGUS_SQLITE_BUSY_TIMEOUT_MS">>;

export function createPrismaClient(target: Target): Db {
  if (target.databaseProvider === "postgresql") {
    const adapter = new PrismaPg({ ...pgConfigFromUrl(target.databaseTarget), max: 10, connectionTimeoutMillis: 5_000 });
    return new PgPrismaClient({ adapter }) as unknown as Db;
  }
  prepareSqliteFile(target.databaseTarget);
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${target.databaseTarget}`, timeout: target.ARGUS_SQLITE_BUSY_TIMEOUT_MS ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS }) });
}

interface Cache {
  argusDb?: Db;
  argusRaw?: RawDb;
}
const cache = globalThis as unknown as Cache;

export function getDb(): Db {
  cache.argusDb ??= createPrismaClient(getEnv());
  return cache.argusDb;
}

export function getRaw(): RawDb {
  cache.argusRaw ??= openRaw(getEnv());
  return cache.argusRaw;
}

export async function closeDb(): Promise<void> {
  const { argusDb, argusRaw } = cache;
  cache.argusDb = undefined;
  cache.argusRaw = undefined;
  await argusDb?.$disconnect();
  if (argusRaw?.provider === "sqlite") argusRaw.sqlite.close();
  if (argusRaw?.provider === "postgresql") await argusRaw.pool.end();
}

/** Cheap liveness probe through the raw driver. */
export async function pingDb(raw: RawDb = getRaw()): Promise<void> {
  await executorFor(raw).one(sql`SELECT 1`);
}

/** Which database a client talks to. (Prisma's clients are proxies: instanceof cannot tell the two apart.) */
export function dialectOf(db: Db): Dialect {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** The client a Prisma interactive transaction hands its callback. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
