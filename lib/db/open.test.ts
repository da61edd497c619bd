import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../env";
import Database from "better-sqlite3";
import { ensureDataDir, openSqlite, SQLITE_PAGE_SIZE } from "./open";

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
