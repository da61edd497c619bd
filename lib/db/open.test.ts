import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../env";
import { ensureDataDir, openSqlite } from "./open";

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
