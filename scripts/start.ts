// `npm start`: migrate, bootstrap, then supervise the web server and one process per worker.
// A crashed child restarts with backoff; SIGTERM/SIGINT stops everything cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { ensureEnvAdmin } from "@/lib/auth/accounts";
import { bootstrapFirstRun, firstRunBanner } from "@/lib/bootstrap";
import { prepareInstanceKey } from "@/lib/crypto/instance-key";
import { encryptPlaintextSecrets } from "@/lib/crypto/reencrypt-secrets";
import { writeFirstKeyFile } from "@/lib/first-key-file";
import { closeDb, getDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/setup";
import { ConfigError, getEnv } from "@/lib/env";
import { log, setProcessName } from "@/lib/log";
import { getPriceTable } from "@/lib/pricing/load-prices";
import { buildIsStale } from "@/lib/supervisor/build-freshness";
import { toJsonLogLine } from "@/lib/supervisor/log-lines";
import { nextRestartDelay, type RestartState } from "@/lib/supervisor/restart-policy";
import { webServerArgs } from "@/lib/server/web-command";
import { selectWorkers } from "@/workers/registry";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const STOP_GRACE_MS = 10_000;

setProcessName("supervisor");

interface Child {
  name: string;
  args: string[];
  process?: ChildProcess;
  startedAt: number;
  restart: RestartState;
  timer?: NodeJS.Timeout;
}

let stopping = false;
const children: Child[] = [];

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function pipeLines(stream: NodeJS.ReadableStream | null, proc: string, kind: "stdout" | "stderr"): void {
  if (!stream) return;
  createInterface({ input: stream }).on("line", (line) => {
    const out = toJsonLogLine(line, proc, kind, new Date());
    if (out) (kind === "stderr" ? process.stderr : process.stdout).write(out + "\n");
  });
}

function launch(child: Child): void {
  child.startedAt = Date.now();
  const proc = spawn(process.execPath, child.args, {
    cwd: root,
    env: { ...process.env, ARGUS_PROCESS_NAME: child.name, NEXT_TELEMETRY_DISABLED: "1", ...(child.name === "web" && !dev ? { NODE_ENV: "production" } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.process = proc;
  pipeLines(proc.stdout, child.name, "stdout");
  pipeLines(proc.stderr, child.name, "stderr");
  proc.on("exit", (code, signal) => {
    child.process = undefined;
    if (stopping) return;
    const { delayMs, state } = nextRestartDelay(child.restart, Date.now() - child.startedAt);
    child.restart = state;
    log.error("child exited; restarting", { child: child.name, code, signal, restartInMs: delayMs });
    child.timer = setTimeout(() => launch(child), delayMs);
  });
}

async function stopAll(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  for (const child of children) clearTimeout(child.timer);
  const running = children.filter((c) => c.process && c.process.exitCode === null);
  for (const child of running) child.process!.kill("SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (running.some((c) => c.process) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const child of running) child.process?.kill("SIGKILL");
  log.info("stopped");
  process.exit(0);
}

async function waitUntilServing(url: string): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200 || res.status === 503) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function main(): Promise<void> {
  let env;
  try {
    env = getEnv();
    getPriceTable(); // a broken ARGUS_PRICES_FILE must stop the start, not fail every ingest request
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  try {
    const applied = await migrateDatabase(env);
    log.info("database ready", { provider: env.databaseProvider, applied });
    const { encrypted } = await prepareInstanceKey(getDb(), env, { encryptPlaintext: encryptPlaintextSecrets });
    if (encrypted > 0) log.info("encrypted channel secrets stored in plaintext", { channels: encrypted });
    const firstRun = await bootstrapFirstRun(getDb());
    if (firstRun && process.stdout.isTTY) process.stdout.write(firstRunBanner(firstRun, env.publicUrl) + "\n");
    else if (firstRun) {
      const file = writeFirstKeyFile(env.ARGUS_DATA_DIR, firstRun, env.publicUrl);
      log.info(`created the project "${firstRun.projectName}" and its first API key (scope ingest); the key is in ${file}, readable by this user only: copy it, then delete the file`, { keyFile: file });
    }
    await ensureEnvAdmin(getDb(), env);
    if ((await getDb().user.count()) === 0) log.info(`no dashboard account yet: open ${env.publicUrl}/setup to create the admin`);
    await closeDb();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    fail(`Cannot prepare the database (${env.databaseProvider}): ${(error as Error).message}`);
  }

  if (!dev) {
    const { stale, reason } = buildIsStale(root);
    if (stale) {
      log.info(`building the dashboard (${reason}); this takes about a minute`);
      const build = spawnSync(process.execPath, [nextBin, "build"], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      });
      if (build.status !== 0) fail("The production build failed; see the output above");
    }
  }

  // Production: Next behind our own node:http server (OTLP fast path); dev: plain `next dev` (app/v1 routes).
  const webArgs = dev ? [nextBin, "dev", "-p", String(env.PORT)] : webServerArgs(root, env.PORT);
  children.push({ name: "web", args: webArgs, startedAt: 0, restart: { consecutiveFailures: 0 } });
  let workers;
  try {
    workers = selectWorkers(env.ARGUS_WORKERS);
  } catch (error) {
    fail((error as Error).message);
  }
  for (const worker of workers) {
    children.push({
      name: `worker:${worker.name}`,
      args: ["--import", "tsx", path.join(root, "workers", "main.ts"), worker.name],
      startedAt: 0,
      restart: { consecutiveFailures: 0 },
    });
  }

  process.on("SIGTERM", () => void stopAll("SIGTERM"));
  process.on("SIGINT", () => void stopAll("SIGINT"));
  for (const child of children) launch(child);

  const localUrl = `http://127.0.0.1:${env.PORT}`;
  if (await waitUntilServing(localUrl)) {
    log.info(`Argus is up: dashboard ${env.publicUrl}, OTLP endpoint ${env.publicUrl}/v1/traces`, {
      workers: workers.map((w) => w.name),
      database: env.databaseProvider,
    });
  }
}

await main();
