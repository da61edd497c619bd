// The worker runtime's watchdog with a real process: a tick that never returns makes the process log
// the reason and exit (the supervisor then restarts it), instead of hanging silently forever.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

const root = path.resolve(import.meta.dirname, "..");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
});
afterAll(async () => {
  await t?.cleanup();
});

describe("worker runtime", () => {
  it("exits with code 70 and says why when a tick is stuck past maxTickMs", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/stuck-worker-child.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, ARGUS_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, output).toBe(70);
    const stuck = output.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((e) => e.msg === "worker stuck: exiting to be restarted");
    expect(stuck).toMatchObject({ level: "error", worker: "stuck-test", maxTickMs: 500 });
    expect(stuck!.busyMs).toBeGreaterThan(500);
  });
});
