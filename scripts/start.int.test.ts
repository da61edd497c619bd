// `npm start` as a user runs it: a real supervisor with the web server and worker processes.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentTrace, jsonRequest } from "@/tests/helpers/otlp-fixtures";
import { freePort } from "@/tests/helpers/server";

const root = path.resolve(import.meta.dirname, "..");

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startArgus(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output };
}

const ADMIN = { email: "root@argus.test", password: "start-test-password" };

/** /api/health as the instance admin (anonymous callers learn only ok/degraded). */
async function adminHealth(url: string): Promise<{ status: string; workers: { name: string; pid: number; alive: boolean; host: string }[] }> {
  const login = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return (await fetch(`${url}/api/health`, { headers: { cookie } })).json() as Promise<{ status: string; workers: { name: string; pid: number; alive: boolean; host: string }[] }>;
}

describe("npm start on an empty SQLite data directory", () => {
  let dataDir: string;
  let port: number;
  let argus: ReturnType<typeof startArgus>;
  let url: string;
  let firstKey = "";

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "argus-start-"));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The embedded setup: no ARGUS_ENCRYPTION_KEY, so a key file is generated in the data directory.
    argus = startArgus({ ARGUS_DATA_DIR: `${dataDir}/data`, PORT: String(port), DATABASE_URL: "", ARGUS_ENCRYPTION_KEY: "", ARGUS_ADMIN_EMAIL: ADMIN.email, ARGUS_ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    if (argus.child.exitCode === null) argus.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finding 10: writes the first API key to a private file (not the log), the database and data directory are private", async () => {
    const keyFile = await waitFor("the key file in the log", async () => /"keyFile":"([^"]+)"/.exec(argus.output())?.[1]);
    expect(keyFile).toBe(path.join(dataDir, "data", "first-api-key.txt"));
    const key = /^(argus_[0-9A-Za-z]{32})$/m.exec(readFileSync(keyFile, "utf8"))?.[1];
    expect(key).toBeTruthy();
    expect(argus.output()).not.toContain(key!);
    expect(argus.output()).not.toMatch(/argus_[0-9A-Za-z]{32}/);
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(path.join(dataDir, "data"))).toBe(0o700);
    expect(mode(path.join(dataDir, "data", "argus.db"))).toBe(0o600);
    expect(mode(path.join(dataDir, "data", "encryption.key"))).toBe(0o600);
    await waitFor("the WAL file", async () => statSync(path.join(dataDir, "data", "argus.db-wal"), { throwIfNoEntry: false }) ?? undefined);
    expect(mode(path.join(dataDir, "data", "argus.db-wal"))).toBe(0o600);
    firstKey = key!;
  });

  it("the first key sends traces and nothing else; the dashboard is served; health says little to anonymous callers", async () => {
    const key = firstKey;
    const health = await waitFor("workers alive in /api/health", async () => {
      const body = await adminHealth(url);
      return body.workers.length >= 3 && body.workers.every((w) => w.alive) ? body : undefined;
    });
    expect(health.status).toBe("ok");
    expect(health.workers.map((w) => w.name).sort()).toEqual(expect.arrayContaining(["notifier", "retention", "scorer"]));
    const anonymous = await fetch(`${url}/api/health`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: "ok" });

    const ingest = await fetch(`${url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(jsonRequest(agentTrace())) });
    expect(ingest.status).toBe(200);
    const status = await fetch(`${url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } });
    expect(status.status).toBe(403);
    expect((await fetch(`${url}/api/v1/status`)).status).toBe(401);

    const page = await fetch(`${url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Argus");
  });

  it("logs one JSON line per event, naming the process", () => {
    const lines = argus.output().split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(3);
    const procs = new Set(lines.map((l) => (JSON.parse(l) as { proc: string }).proc));
    expect(procs).toContain("supervisor");
    expect([...procs].some((p) => p.startsWith("worker:"))).toBe(true);
  });

  it("restarts a worker that was killed", async () => {
    const before = await adminHealth(url);
    const scorer = before.workers.find((w) => w.name === "scorer")!;
    process.kill(scorer.pid, "SIGKILL");
    await waitFor("a new scorer process", async () => {
      const body = await adminHealth(url);
      const next = body.workers.find((w) => w.name === "scorer");
      return next && next.pid !== scorer.pid && next.alive ? next : undefined;
    });
    expect(argus.output()).toContain("child exited; restarting");
  });

  it("stops everything on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => argus.child.once("exit", (code) => resolve(code)));
    argus.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});

describe("npm start with bad configuration", () => {
  it.each<{ name: string; env: Record<string, string>; message: RegExp }>([
    { name: "an unreachable PostgreSQL", env: { DATABASE_URL: "postgres://postgres@127.0.0.1:1/argus" }, message: /Cannot reach PostgreSQL at 127\.0\.0\.1:1/ },
    { name: "an invalid database URL", env: { DATABASE_URL: "mysql://localhost/x" }, message: /DATABASE_URL must start with postgres/ },
    { name: "an unreadable price file", env: { ARGUS_PRICES_FILE: "/nonexistent/prices.json" }, message: /ARGUS_PRICES_FILE \/nonexistent\/prices.json could not be read/ },
    { name: "an unwritable data directory", env: { ARGUS_DATA_DIR: "/proc/argus-data", DATABASE_URL: "" }, message: /Data directory \/proc\/argus-data is not writable/ },
  ])("fails fast with one line for $name", async ({ env, message }) => {
    const argus = startArgus({ PORT: String(await freePort()), ...env });
    const code = await new Promise<number | null>((resolve) => argus.child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(argus.output()).toMatch(message);
    expect(argus.output()).not.toMatch(/\n\s+at /);
  });
});
