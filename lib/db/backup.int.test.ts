// The documented SQLite backup command, run as a real process while another connection keeps writing
// through WAL: the copy is consistent, complete up to its snapshot, and opens as a working Argus database.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

const root = path.resolve(import.meta.dirname, "../..");
let t: TestDatabase;
let dir: string;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  dir = mkdtempSync(path.join(os.tmpdir(), "argus-backup-"));
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("db backup (SQLite)", () => {
  it("copies a live database while it is being written, and the copy is a working database", async () => {
    await t.db.project.create({ data: { name: "before-backup" } });
    const writer = new Database(t.target.databaseTarget);
    writer.pragma("busy_timeout = 5000");
    const insert = writer.prepare("INSERT INTO login_throttles (key, failures, blockedUntilMs, expiresAtMs) VALUES (?, 1, 0, 0)");
    let written = 0;
    let writing = true;
    const loop = (async () => {
      while (writing) {
        insert.run(`k${written++}`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const target = path.join(dir, "argus-backup.db");
    const result = await cli(["db", "backup", target], { DATABASE_URL: t.databaseUrl });
    writing = false;
    await loop;
    writer.close();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("integrity ok");
    // The copy holds prompts and password hashes: private like the database itself (was 0644).
    expect((statSync(target).mode & 0o777).toString(8)).toBe("600");

    const copy = createPrismaClient({ databaseProvider: "sqlite", databaseTarget: target });
    expect(await copy.project.findUnique({ where: { name: "before-backup" } })).not.toBeNull();
    const copied = await copy.loginThrottle.count();
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThanOrEqual(written);
    await copy.project.create({ data: { name: "written-to-the-copy" } });
    await copy.$disconnect();

    const again = await cli(["db", "backup", target], { DATABASE_URL: t.databaseUrl });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
  }, 60_000);
});
