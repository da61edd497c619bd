// `npm run argus -- audit verify | export` as an operator runs them, on both databases: an intact chain
// passes, a row edited or deleted with raw SQL makes verify exit 1 naming the entry, and an export is JSONL
// whose lines hash back to themselves and verify on their own.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { chainedFieldsOf, hashEntry, type ChainedEntry } from "@/lib/audit/audit-hash";
import { recordAudit } from "@/lib/audit/audit-store";
import { sealPending } from "@/lib/audit/seal-audit";
import { executorFor } from "@/lib/db/executor";
import { sql } from "@/lib/db/sql";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "argus-audit-cli-"));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

// Several CLI processes per database, each starting tsx and migrating.
describe.each(PROVIDERS)("audit CLI on %s", { timeout: 300_000 }, (provider) => {
  let t: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    env = { DATABASE_URL: t.databaseUrl };
    const projectId = (await t.db.project.create({ data: { name: "shop" } })).id;
    for (let i = 1; i <= 6; i++) {
      await recordAudit(t.db, { ...SYSTEM_CONTEXT, ip: "10.0.0.1" }, { action: "alert.acknowledge", target: { type: "alert", id: `alert-${i}` }, projectId, details: { n: i } });
    }
    await sealPending(t.db);
  });
  afterAll(async () => t?.cleanup());

  it("verify passes an intact chain; export writes JSONL that verifies on its own", async () => {
    const ok = await cli(["audit", "verify"], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^audit chain intact: 6 entries checked \(entries 1–6\), last hash [0-9a-f]{64}$/m);

    const out = path.join(dir, `${provider}-export.jsonl`);
    const exported = await cli(["audit", "export", "--since", "1d", "--out", out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain("exported 6 audit entries");
    const lines = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ChainedEntry);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines[2]).toMatchObject({ action: "alert.acknowledge", actor: { type: "system" }, target: { type: "alert", id: "alert-3" }, details: { n: 3 }, ip: "10.0.0.1" });
    for (const line of lines) expect(hashEntry(chainedFieldsOf(line))).toBe(line.hash);
    expect(lines[3]!.prevHash).toBe(lines[2]!.hash);

    const fileOk = await cli(["audit", "verify", "--file", out], {});
    expect(fileOk.code, fileOk.stderr).toBe(0);
    const edited = path.join(dir, `${provider}-edited.jsonl`);
    writeFileSync(edited, readFileSync(out, "utf8").replace('"alert-4"', '"alert-9"'));
    const fileBad = await cli(["audit", "verify", "--file", edited], {});
    expect(fileBad.code).toBe(1);
    expect(fileBad.stderr).toContain("broken at entry 4 (edited)");

    const none = await cli(["audit", "export", "--since", "2999-01-01"], env);
    expect(none).toMatchObject({ code: 0, stdout: "" });
    const bad = await cli(["audit", "export", "--since", "last week"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--since last week: use a duration like 30m, 12h, 7d, or an ISO 8601 time");
  });

  it("verify exits 1 naming an entry edited with raw SQL, then one deleted", async () => {
    const ex = executorFor(t.raw);
    expect(await ex.run(sql`UPDATE audit_entries SET "actorName" = ${"someone else"} WHERE seq = ${3}`)).toBe(1);
    const edited = await cli(["audit", "verify"], env);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain("argus: audit chain broken at entry 3 (edited): entry 3 was edited: its fields do not match its hash");

    await ex.run(sql`UPDATE audit_entries SET "actorName" = ${"system"} WHERE seq = ${3}`);
    expect((await cli(["audit", "verify"], env)).code).toBe(0);

    expect(await ex.run(sql`DELETE FROM audit_entries WHERE seq = ${4}`)).toBe(1);
    const deleted = await cli(["audit", "verify"], env);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain("argus: audit chain broken at entry 5 (missing): entry 4 is missing before entry 5: deleted");

    expect(await ex.run(sql`DELETE FROM audit_entries WHERE seq >= ${5}`)).toBe(2);
    const truncated = await cli(["audit", "verify"], env);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain("(truncated): entries 4–6 are missing at the end (the chain head is entry 6): deleted");
  });
});
