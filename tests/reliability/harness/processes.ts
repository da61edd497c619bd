// Real Argus processes for reliability tests and soak benches: production web servers and worker
// processes, each restartable after kill -9, with their JSON log lines captured and RSS read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { processTreeRss } from "@/bench/process-tree";
import { webServerArgs } from "@/lib/server/web-command";
import { freePort } from "@/tests/helpers/server";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ManagedProcess {
  name: string;
  /** Base URL for web processes. */
  url?: string;
  readonly pid: number | undefined;
  /** Every stdout/stderr line since the first start. */
  lines: string[];
  onLine?: (line: string) => void;
  /** Number of starts so far. */
  starts: number;
  start(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
  running(): boolean;
  rssBytes(): number;
}

function managed(name: string, args: string[], env: Record<string, string>, ready: (p: ManagedProcess) => Promise<void>): ManagedProcess {
  let child: ChildProcess | undefined;
  const p: ManagedProcess = {
    name,
    lines: [],
    starts: 0,
    get pid() {
      return child?.pid;
    },
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    rssBytes: () => (p.running() ? processTreeRss(child!.pid) : 0),
    async start() {
      const proc = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", OTEL_EXPORTER_OTLP_ENDPOINT: "", ARGUS_PROCESS_NAME: name, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      p.starts += 1;
      for (const stream of [proc.stdout!, proc.stderr!]) {
        let buf = "";
        stream.on("data", (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            p.lines.push(line);
            p.onLine?.(line);
          }
        });
      }
      await ready(p);
    },
    async kill(signal) {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once("exit", r));
      c.kill(signal);
      if (signal !== "SIGKILL") setTimeout(() => c.kill("SIGKILL"), 15_000).unref();
      await exited;
    },
  };
  return p;
}

async function poll(what: string, check: () => Promise<boolean>, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (!alive()) throw new Error(`${what}: the process exited`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A production web process (scripts/web.ts, as `npm start` runs it; no workers) on a fixed free port, so restarts keep the URL. */
export async function webProcess(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ManagedProcess> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `flock /tmp/argus-build.lock npm run build` first");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = managed(name, webServerArgs(ROOT, port, "127.0.0.1"), { NODE_ENV: "production", DATABASE_URL: databaseUrl, PORT: String(port), ARGUS_LOG_LEVEL: "warn", ...env }, (self) =>
    poll(`${name} to listen`, async () => (await fetch(`${url}/api/health`)).status > 0, 60_000, self.running),
  );
  p.url = url;
  return p;
}

/** A worker process (`workers/main.ts <worker>`); ready once it logged "worker started". */
export function workerProcess(name: string, worker: "scorer" | "notifier", databaseUrl: string, env: Record<string, string> = {}): ManagedProcess {
  return managed(name, ["--import", "tsx", path.join(ROOT, "workers/main.ts"), worker], { DATABASE_URL: databaseUrl, ARGUS_LOG_LEVEL: "info", ...env }, (self) => {
    const from = self.lines.length;
    return poll(`${name} to start`, async () => self.lines.slice(from).some((l) => l.includes("worker started")), 60_000, self.running);
  });
}

/** Parses JSON log lines, skipping anything else. */
export function jsonLines(p: ManagedProcess): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of p.lines) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial line
    }
  }
  return out;
}

export async function stopAll(processes: ManagedProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.kill("SIGTERM")));
}
