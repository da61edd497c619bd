import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../env";
import Database from "better-sqlite3";
import { ensureDataDir, ensurePrivateDir, openSqlite, SQLITE_PAGE_SIZE } from "./open";

describe("ensureDataDir", () => {
  it("creates missing directories", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "argus-open-"));
    const db = openSqlite(path.join(root, "a", "b", "argus.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(["/proc/argus-data/argus.db", "/dev/null/argus/argus.db"])("fails with one clear line for %s", (file) => {
    expect(() => ensureDataDir(file)).toThrow(ConfigError);
    expect(() => ensureDataDir(file)).toThrow(/is not writable .*set ARGUS_DATA_DIR/);
  });
});

describe("ensurePrivateDir: the data directory is 0700 (issue 17 finding 10, audit gap 2)", () => {
  const mode = (dir: string) => (statSync(dir).mode & 0o7777).toString(8);
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-private-"));
    roots.push(dir);
    return dir;
  };
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const infoLines = () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return () => lines.filter((l) => l.includes("data directory tightened"));
  };

  it("creates a missing directory 0700", () => {
    const dir = path.join(root(), "data");
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe("700");
  });

  it.each([0o755, 0o750, 0o777, 0o705].map((m) => [m.toString(8), m] as const))("tightens an existing directory of ours from %s to 0700, and says so once", (_, before) => {
    const dir = path.join(root(), "data");
    mkdirSync(dir);
    chmodSync(dir, before);
    const tightened = infoLines();
    ensurePrivateDir(dir);
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe("700");
    expect(tightened()).toHaveLength(1);
    expect(JSON.parse(tightened()[0]!)).toMatchObject({ level: "info", dir, previousMode: before.toString(8) });
  });

  it("tightens the database file's directory too (an older install's 0755 ./data)", () => {
    const dir = path.join(root(), "data");
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const db = openSqlite(path.join(dir, "argus.db"));
    db.close();
    expect(mode(dir)).toBe("700");
  });

  it("leaves a private directory and shared directories alone", () => {
    const tightened = infoLines();
    const privateDir = path.join(root(), "private");
    mkdirSync(privateDir, { mode: 0o700 });
    ensurePrivateDir(privateDir);
    expect(mode(privateDir)).toBe("700");
    // A sticky directory like /tmp is shared by design (a DATABASE_URL=file:/tmp/… must not break it).
    const sticky = path.join(root(), "shared");
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    ensurePrivateDir(sticky);
    expect(mode(sticky)).toBe("1777");
    // The working directory (DATABASE_URL=file:./argus.db) keeps its mode.
    const cwd = path.join(root(), "cwd");
    mkdirSync(cwd);
    chmodSync(cwd, 0o755);
    vi.spyOn(process, "cwd").mockReturnValue(cwd);
    ensurePrivateDir(cwd);
    expect(mode(cwd)).toBe("755");
    expect(tightened()).toHaveLength(0);
  });
});

describe("openSqlite page size", () => {
  const withDir = (run: (dir: string) => void) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-pages-"));
    try {
      run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("creates a new database with 16 KB pages", () =>
    withDir((dir) => {
      const db = openSqlite(path.join(dir, "new.db"));
      db.exec("CREATE TABLE t (x TEXT)");
      expect(db.pragma("page_size", { simple: true })).toBe(SQLITE_PAGE_SIZE);
      db.close();
    }));

  it("keeps an existing database's page size and data", () =>
    withDir((dir) => {
      const file = path.join(dir, "old.db");
      const old = new Database(file);
      old.pragma("journal_mode = WAL");
      old.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept')");
      old.close();

      const db = openSqlite(file);
      db.exec("INSERT INTO t VALUES ('added')");
      expect(db.pragma("page_size", { simple: true })).toBe(4096);
      expect(db.prepare("SELECT x FROM t ORDER BY rowid").pluck().all()).toEqual(["kept", "added"]);
      db.close();
    }));
});
