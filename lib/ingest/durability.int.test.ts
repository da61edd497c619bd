// Acknowledged means durable: every span answered with 200 is in the database after a kill -9.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { agentTrace, jsonRequest } from "@/tests/helpers/otlp-fixtures";

const root = path.resolve(import.meta.dirname, "../..");

describe.each(PROVIDERS)("crash after acknowledgement on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("keeps every acknowledged span when the process is killed with SIGKILL mid-stream", async () => {
    const project = await t.db.project.create({ data: { name: "durable" } });
    const { key } = await createApiKey(t.db, project.id, "durability", ["ingest"]);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/otlp-receiver-child.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, ARGUS_LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`receiver exited with ${code}`)));
    });
    const acknowledged: string[] = [];
    let killed = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (!killed) {
        const trace = agentTrace();
        const res = await fetch(`${url}/v1/traces`, {
          method: "POST", body: JSON.stringify(jsonRequest(trace)), headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        }).catch(() => null);
        if (res?.status === 200) acknowledged.push(...trace.map((s) => s.spanId));
      }
    });
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    killed = true;
    await Promise.all(senders);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    const stored = await t.db.span.findMany({ where: { projectId: project.id }, select: { spanId: true } });
    const storedIds = new Set(stored.map((s) => s.spanId));
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
    const traces = await t.db.trace.findMany({ where: { projectId: project.id }, select: { spanCount: true } });
    expect(traces.reduce((n, tr) => n + tr.spanCount, 0)).toBe(stored.length);
  });
});
