// Starts the production web server (scripts/web.ts: Next + the OTLP fast path, no workers) on a free port against a given
// database, with a fresh project and API key. Needs a build: `npm run build`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createApiKey, ensureProject } from "@/lib/auth/api-keys";
import { createPrismaClient } from "@/lib/db";
import { parseEnv } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/setup";
import { webServerArgs } from "@/lib/server/web-command";

const root = path.resolve(import.meta.dirname, "../..");

export interface TestServer {
  url: string;
  apiKey: string;
  projectId: string;
  stop(): Promise<void>;
  /** Exit code if the server died, for "still serving" assertions. */
  exitCode(): number | null;
  /** Everything the server wrote to stdout and stderr (only with `captureOutput`). */
  output(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function startServer(options: { databaseUrl: string; env?: Record<string, string>; captureOutput?: boolean }): Promise<TestServer> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const target = parseEnv({ DATABASE_URL: options.databaseUrl });
  await migrateDatabase(target);
  const db = createPrismaClient(target);
  const project = await ensureProject(db, `test-${Math.random().toString(36).slice(2, 8)}`);
  // Every scope: tests ingest and read with it; the scope tests make keys of their own.
  const { key } = await createApiKey(db, project.id, "test", ["ingest", "read", "admin"]);
  await db.$disconnect();

  const port = await freePort();
  const child = spawn(process.execPath, webServerArgs(root, port, "127.0.0.1"), {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: options.databaseUrl, PORT: String(port), ARGUS_LOG_LEVEL: "error", ...options.env },
    stdio: options.captureOutput ? ["ignore", "pipe", "pipe"] : ["ignore", "ignore", "inherit"],
  });
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (c: Buffer) => chunks.push(c));
  child.stderr?.on("data", (c: Buffer) => chunks.push(c));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("web server did not become ready within 60 s");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    apiKey: key,
    projectId: project.id,
    exitCode: () => child.exitCode,
    output: () => Buffer.concat(chunks).toString("utf8"),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
