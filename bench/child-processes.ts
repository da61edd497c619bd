// Product processes for benchmarks: the production web server (scripts/web.ts, needs `npm run build`) and
// workers (workers/main.ts) as children, logging to files, stopped with SIGTERM (then SIGKILL after 10 s).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { webServerArgs } from "@/lib/server/web-command";

export function hasProductionBuild(root: string): boolean {
  return existsSync(path.join(root, ".next", "BUILD_ID"));
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

export interface ProcessGroup {
  /** Process ids by name ("web", "worker:scorer", …). */
  pids(): Record<string, number | undefined>;
  /** Throws when a child exited before stop(). */
  assertRunning(): void;
  stop(): Promise<void>;
}

/**
 * Starts the web server on a free port and the named workers against `databaseUrl`, waits until /api/health
 * answers, and returns its URL. Each process logs to `<logDir>/<name>.log`.
 */
export async function startProcesses(options: { root: string; databaseUrl: string; dataDir: string; logDir: string; workers: readonly string[] }): Promise<ProcessGroup & { url: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: options.databaseUrl, ARGUS_DATA_DIR: options.dataDir, PORT: String(port),
  };
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;
  const run = (name: string, args: string[]) => {
    const log = createWriteStream(path.join(options.logDir, `${name.replace(":", "-")}.log`));
    const child = spawn(process.execPath, args, { cwd: options.root, env: { ...env, ARGUS_PROCESS_NAME: name }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.push({ name, child });
  };
  run("web", webServerArgs(options.root, port, "127.0.0.1"));
  for (const worker of options.workers) run(`worker:${worker}`, ["--import", "tsx", path.join(options.root, "workers", "main.ts"), worker]);

  const group: ProcessGroup = {
    pids: () => Object.fromEntries(children.map((c) => [c.name, c.child.pid])),
    assertRunning() {
      const dead = children.filter((c) => c.child.exitCode !== null || c.child.signalCode !== null);
      if (dead.length && !stopping) throw new Error(`${dead.map((c) => `${c.name} exited with ${c.child.exitCode ?? c.child.signalCode}`).join(", ")}; see the logs in ${options.logDir}`);
    },
    async stop() {
      stopping = true;
      await Promise.all(
        children.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
    },
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      group.assertRunning();
      if (await fetch(`${url}/api/health`).then((r) => r.status < 500, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the web server did not answer /api/health within 60 s; see ${options.logDir}/web.log`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await group.stop();
    throw error;
  }
  return { url, ...group };
}
