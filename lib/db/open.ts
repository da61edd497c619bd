// Opens the raw drivers for the configured store. Bad configuration fails with one clear line.
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ConfigError, type Env } from "../env";
import { log } from "../log";

export type RawDb =
  | { provider: "sqlite"; sqlite: Database.Database; file: string }
  | { provider: "postgresql"; pool: pg.Pool; url: string };

const INT8_OID = 20;
const TIMESTAMP_OID = 1114;
// Raw pools read int8 as bigint (sequences, ns timestamps), and timestamp (without time zone, Prisma's
// DateTime) as UTC, as Prisma writes it, not in the process's zone. Set per pool, never globally:
// Prisma's adapter-pg shares the pg module and expects its own parsers.
const rawTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID && format !== "binary") return (value: string) => BigInt(value);
    if (oid === TIMESTAMP_OID && format !== "binary") return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
};

// Creates each missing level itself: Node's recursive mkdir loops forever on some paths (e.g. under /proc).
// Directories Argus creates are private (0700): the database holds prompts and channel secrets.
function makeDirectories(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirectories(parent);
  mkdirSync(dir, { mode: 0o700 });
}

/**
 * Creates `dir` (0700) if missing and checks it is writable. A directory that exists, belongs to this
 * process's user and is open to group or others (an older install's 0755 `./data`, an image's
 * `mkdir -p /data`) is tightened to 0700, as restrictDatabaseFiles does for the files.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    makeDirectories(dir);
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ConfigError(`Data directory ${dir} is not writable (${reason}); set ARGUS_DATA_DIR to a writable directory`);
  }
  tightenDirectory(dir);
}

/**
 * chmod 0700 when the directory is ours and group/other-accessible. Shared directories are never changed,
 * even when they are ours, because a `DATABASE_URL=file:…` may put the database in one: a sticky
 * directory (/tmp), the root, the home directory and the working directory (and its parents).
 */
function tightenDirectory(dir: string): void {
  try {
    const resolved = path.resolve(dir);
    const stat = statSync(resolved);
    if ((stat.mode & 0o077) === 0) return;
    if (typeof process.getuid !== "function" || stat.uid !== process.getuid()) return;
    if ((stat.mode & 0o1000) !== 0 || resolved === path.parse(resolved).root || resolved === os.homedir()) return;
    const cwd = process.cwd();
    if (cwd === resolved || cwd.startsWith(resolved + path.sep)) return;
    chmodSync(resolved, 0o700);
    log.info("data directory tightened to 0700 (it was open to other users)", { dir: resolved, previousMode: (stat.mode & 0o777).toString(8) });
  } catch {
    // Not ours to change (read-only mount, ACL): the files inside are 0600 either way.
  }
}

export function ensureDataDir(file: string): void {
  ensurePrivateDir(path.dirname(file));
}

/** The directory and a private database file, before any driver opens (and so creates) it. */
export function prepareSqliteFile(file: string): void {
  ensureDataDir(file);
  restrictDatabaseFiles(file);
}

/**
 * The database file and its WAL and shared-memory files readable by their owner only (0600). SQLite
 * creates the -wal and -shm files with the main file's mode, so creating that one 0600 is enough for a
 * new database; files of an older install are tightened here.
 */
export function restrictDatabaseFiles(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // Not ours to change (another owner, read-only mount): SQLite reports what matters when it opens.
    }
  }
}

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5_000;
export const SQLITE_PAGE_SIZE = 16_384;

export function openSqlite(file: string, busyTimeoutMs = DEFAULT_SQLITE_BUSY_TIMEOUT_MS): Database.Database {
  prepareSqliteFile(file);
  const db = new Database(file, { timeout: busyTimeoutMs });
  // Takes effect only while the file is new and empty (an existing database keeps its page size). Spans
  // rows run to 2-4 KB: 16 KB pages hold several per page, and a commit writes (and the checkpoint
  // copies) a quarter as many WAL frames, each one a system call, as with the default 4 KB.
  db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode survives process crashes (kill -9); only an OS crash can lose the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

export function pgConfigFromUrl(url: string): pg.PoolConfig {
  const u = new URL(url);
  const ssl = u.searchParams.get("sslmode");
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
    ssl: ssl && ssl !== "disable" ? { rejectUnauthorized: ssl === "verify-full" } : undefined,
    // A connection whose server vanished (failover, network cut) must fail, not wait forever.
    keepAlive: true,
    query_timeout: 120_000,
  };
}

/**
 * Session settings of every pooled connection, each applied on its own (a server that refuses one, e.g.
 * built without lz4, keeps its default for that one only).
 * - Span attributes (2-4 KB with prompts) are TOAST-compressed; lz4 takes about a quarter less of the
 *   server's CPU per insert than the default pglz.
 * - backend_flush_after: a backend that evicts dirty pages asks the kernel to write them out after every
 *   256 kB instead of leaving them in the page cache. Otherwise they are written in one burst, when they
 *   expire (vm.dirty_expire_centisecs, 30 s) or at the next checkpoint's sync, and commits' WAL fsyncs
 *   wait behind it: the worst request during bench:ingest went from 235-470 ms to 100-190 ms, throughput
 *   unchanged. Pages of newly grown tables still reach the page cache dirty (docs/deployment.md).
 */
const PG_SESSION_SETTINGS = ["default_toast_compression = lz4", "backend_flush_after = '256kB'"];

export function openPgPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    ...pgConfigFromUrl(url),
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: rawTypes as pg.CustomTypesConfig,
    // The pool waits for this before handing the connection out, so no query overlaps it.
    onConnect: async (client) => {
      for (const setting of PG_SESSION_SETTINGS) await client.query(`SET ${setting}`).catch(() => undefined);
    },
  });
  // A client losing its connection (database restart) must not crash the process. Idle clients report it
  // on the pool; a checked-out client between two queries (inside a transaction) emits it itself, and an
  // 'error' event without a listener is an uncaught exception. Its next query fails instead, and the
  // pool drops it on release.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

export function openRaw(env: Pick<Env, "databaseProvider" | "databaseTarget"> & Partial<Pick<Env, "ARGUS_SQLITE_BUSY_TIMEOUT_MS">>): RawDb {
  return env.databaseProvider === "postgresql"
    ? { provider: "postgresql", pool: openPgPool(env.databaseTarget), url: env.databaseTarget }
    : { provider: "sqlite", sqlite: openSqlite(env.databaseTarget, env.ARGUS_SQLITE_BUSY_TIMEOUT_MS), file: env.databaseTarget };
}
