// `npm run argus -- policies …` as a user's CI runs it: test (no database), apply, list, show, diff, on both databases.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";

const root = path.resolve(import.meta.dirname, "..");
const EXAMPLE = path.join(root, "docs/policies/refund-limits.yaml");
const dir = mkdtempSync(path.join(os.tmpdir(), "argus-policies-cli-"));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function writePolicy(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("policies test (no database)", () => {
  it("passes the shipped example with exit 0, like opa test", async () => {
    const run = await cli(["policies", "test", EXAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`PASS: ${EXAMPLE}: a small refund goes through`);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("PASS: 6/6");
  });

  it("exits 1 with the failing example and the reason", async () => {
    const wrong = writePolicy("wrong.yaml", readFileSync(EXAMPLE, "utf8").replace("expect: allow\n    matches: []", "expect: review"));
    const run = await cli(["policies", "test", wrong]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`FAIL: ${wrong}: a small refund goes through\n  expected review, got allow (no rule matched, the default is allow)`);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("FAIL: 1 of 6 failed");
  });

  it("exits 1 on an invalid file, with file:line:column like a compiler", async () => {
    const invalid = writePolicy("invalid.yaml", "name: p\nrules:\n  - id: r1\n    outcome: deny\n    condition: tool.size() > \n");
    const run = await cli(["policies", "test", invalid]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${invalid}:5:16: rules\\.0\\.condition: rule 'r1': condition does not parse`, "m"));
  });
});

// Seven CLI processes in one test, each starting tsx and migrating: seconds apiece when the suite runs beside it.
describe.each(PROVIDERS)("policies apply, list, show, diff on %s", { timeout: 300_000 }, (provider) => {
  let t: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await t.db.project.create({ data: { name: "shop" } });
    env = { DATABASE_URL: t.databaseUrl };
  });
  afterAll(async () => t?.cleanup());

  it("applies versions, lists them, shows any version's text and diffs them", async () => {
    const v2 = writePolicy("v2.yaml", readFileSync(EXAMPLE, "utf8").replace("risk: 0.9", "risk: 0.95"));
    expect((await cli(["policies", "apply", EXAMPLE, "--project", "shop"], env)).stderr).toContain("refund-limits: applied version 1 (4 rules, 6 examples pass)");
    expect((await cli(["policies", "apply", EXAMPLE, "--project", "shop"], env)).stderr).toContain("refund-limits: unchanged, still version 1");
    expect((await cli(["policies", "apply", v2, "--project", "shop", "--author", "ci pipeline 42"], env)).stderr).toContain("applied version 2");

    const list = await cli(["policies", "list", "--project", "shop"], env);
    expect(list.stdout.split("\t").slice(0, 3)).toEqual(["refund-limits", "v2", "4 rules"]);
    expect(list.stdout.trim().endsWith("ci pipeline 42")).toBe(true);

    expect((await cli(["policies", "show", "refund-limits", "--project", "shop", "--version", "1"], env)).stdout).toBe(readFileSync(EXAMPLE, "utf8"));
    const diff = await cli(["policies", "diff", "refund-limits", "--project", "shop"], env);
    expect(diff.stdout).toMatch(/^--- refund-limits v1\n\+\+\+ refund-limits v2\n@@ /);
    expect(diff.stdout).toContain("-    risk: 0.9\n+    risk: 0.95\n");
    const againstFile = await cli(["policies", "diff", "refund-limits", "--project", "shop", "--file", EXAMPLE], env);
    expect(againstFile.stdout).toContain("-    risk: 0.95\n+    risk: 0.9\n");
    expect(await t.db.policyVersion.count()).toBe(2);
  });

  it("refuses an invalid file and an unknown project with exit 1 and a clear message, writing nothing", async () => {
    const invalid = writePolicy("bad-risk.yaml", "name: bad\nrules:\n  - { id: r1, outcome: deny, risk: 3 }\n");
    const bad = await cli(["policies", "apply", invalid, "--project", "shop"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/argus: The policy is not valid: line 3, column \d+ rules\.0\.risk: /);
    const unknown = await cli(["policies", "apply", EXAMPLE, "--project", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("argus: No project named nope");
    expect(await t.db.policy.count({ where: { name: "bad" } })).toBe(0);
  });
});
