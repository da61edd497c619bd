// npm run bench:ingest — OTLP ingestion throughput, latency and memory against the production server.
//   ARGUS_BENCH_DB=sqlite|postgresql (default sqlite)  ARGUS_BENCH_SECONDS (default 10)  ARGUS_BENCH_CONCURRENCY (default 8)
//   ARGUS_BENCH_URL + ARGUS_BENCH_KEY: target a running server instead of starting one (RSS then not measured).
// Needs a production build (npm run build) when it starts the server itself.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createApiKey } from "@/lib/auth/api-keys";
import { createPrismaClient } from "@/lib/db";
import { openRaw, pgConfigFromUrl } from "@/lib/db/open";
import { migrateDatabase } from "@/lib/db/setup";
import { webServerArgs } from "@/lib/server/web-command";
import { rawInsertRate } from "./ingest-baseline";
import { processTreeCpuMs, processTreeRss } from "./process-tree";

const provider = (process.env.ARGUS_BENCH_DB ?? "sqlite") as "sqlite" | "postgresql";
const seconds = Number(process.env.ARGUS_BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.ARGUS_BENCH_CONCURRENCY ?? 8);
const pgBase = process.env.ARGUS_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const root = path.resolve(import.meta.dirname, "..");

interface Target {
  databaseProvider: "sqlite" | "postgresql";
  databaseTarget: string;
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(): Promise<Target> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-bench-"));
    const file = path.join(dir, "argus.db");
    return { databaseProvider: "sqlite", databaseTarget: file, url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const u = new URL(pgBase);
  const name = `argus_bench_${randomBytes(4).toString("hex")}`;
  u.pathname = `/${name}`;
  return {
    databaseProvider: "postgresql",
    databaseTarget: u.toString(),
    url: u.toString(),
    drop: async () => {
      const admin = new pg.Client({ ...pgConfigFromUrl(pgBase), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function prepare(target: Target): Promise<{ projectId: string; key: string }> {
  await migrateDatabase(target);
  const db = createPrismaClient(target);
  const project = await db.project.create({ data: { name: "bench" } });
  const { key } = await createApiKey(db, project.id, "default", ["ingest"]);
  await db.$disconnect();
  return { projectId: project.id, key };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startServer(target: Target, key: string): Promise<{ url: string; child: ChildProcess }> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const port = await freePort();
  const child = spawn(process.execPath, webServerArgs(root, port, "127.0.0.1"), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: target.url, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ARGUS_LOG_LEVEL: "warn", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/v1/traces`, { method: "POST", body: "{}", headers: { "content-type": "application/json", authorization: `Bearer ${key}` } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("server did not become ready within 30 s");
}

/** CPU time (ms) of each thread of one process, by thread id. */
function threadCpuMs(pid: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!pid) return out;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
        out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        // thread ended
      }
    }
  } catch {
    // process ended
  }
  return out;
}

const phaseCpu: Record<string, number> = {};
/** Per-thread CPU of the server over each phase: the main thread, and the busiest other thread (the SQLite writer). */
const phaseThreads: Record<string, { main: number; busiestOther: number }> = {};

function runLoad(url: string, key: string, serverPid?: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/ingest-load.ts")], {
      cwd: root,
      env: { ...process.env, BENCH_URL: url, BENCH_KEY: key, BENCH_SECONDS: String(seconds), BENCH_CONCURRENCY: String(concurrency) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const starts: Record<string, number> = {};
    const threadStarts: Record<string, Map<number, number>> = {};
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      for (const match of d.toString().matchAll(/phase-(start|end) (\w+)/g)) {
        const name = match[2]!;
        if (match[1] === "start") {
          starts[name] = processTreeCpuMs(serverPid);
          threadStarts[name] = threadCpuMs(serverPid);
          continue;
        }
        // A phase can run in several segments (JSON and protobuf alternate): its figures add up.
        phaseCpu[name] = (phaseCpu[name] ?? 0) + processTreeCpuMs(serverPid) - (starts[name] ?? 0);
        let main = 0;
        let busiestOther = 0;
        for (const [tid, ms] of threadCpuMs(serverPid)) {
          const used = ms - (threadStarts[name]?.get(tid) ?? 0);
          if (tid === serverPid) main = used;
          else busiestOther = Math.max(busiestOther, used);
        }
        phaseThreads[name] = { main: (phaseThreads[name]?.main ?? 0) + main, busiestOther: (phaseThreads[name]?.busiestOther ?? 0) + busiestOther };
      }
    });
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** One phase as the load generator reports it (bench/ingest-load.ts). */
type LoadPhase = {
  spansPerSec: number; p50Ms: number; p99Ms: number; requests: number; failures: object; bodyBytes: number; clientCpuMs: number; targetSpansPerSec?: number;
  slowest?: { atS: number; clock: string; ms: number }[];
};

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const external = process.env.ARGUS_BENCH_URL;
  const target = await freshDatabase();
  let server: { url: string; child: ChildProcess } | undefined;
  let peakRss = 0;
  let sampler: NodeJS.Timeout | undefined;
  try {
    let url: string;
    let key: string;
    if (external) {
      url = external;
      key = process.env.ARGUS_BENCH_KEY ?? "";
    } else {
      ({ key } = await prepare(target));
      server = await startServer(target, key);
      url = server.url;
      sampler = setInterval(() => (peakRss = Math.max(peakRss, processTreeRss(server!.child.pid!))), 250);
    }
    const loadBefore = os.loadavg()[0]!;
    console.log(`bench:ingest ${provider} → ${url} (${seconds}s per phase, concurrency ${concurrency}, ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)})`);
    const load = (await runLoad(url, key, server?.child.pid)) as Record<string, LoadPhase>;
    clearInterval(sampler);

    const baselineTarget = await freshDatabase();
    let baseline = 0;
    let baselineCpuPerBatch = 0;
    try {
      const { projectId } = await prepare(baselineTarget);
      const raw = openRaw(baselineTarget);
      ({ spansPerSec: baseline, cpuMsPerBatch: baselineCpuPerBatch } = await rawInsertRate(raw, projectId, provider === "sqlite" ? 600 : 300));
      if (raw.provider === "sqlite") raw.sqlite.close();
      else await raw.pool.end();
    } finally {
      await baselineTarget.drop();
    }

    const { json, protobuf, halfRate } = load;
    const goal = provider === "sqlite" ? 20_000 : 10_000;
    const rows = [
      ["OTLP/JSON sustained", `${fmt(json!.spansPerSec)} spans/s`, `p50 ${json!.p50Ms.toFixed(1)} ms, p99 ${json!.p99Ms.toFixed(1)} ms, ${json!.requests} requests of ${fmt(json!.bodyBytes)} B, failures ${JSON.stringify(json!.failures)}`],
      ["OTLP/protobuf sustained", `${fmt(protobuf!.spansPerSec)} spans/s`, `p50 ${protobuf!.p50Ms.toFixed(1)} ms, p99 ${protobuf!.p99Ms.toFixed(1)} ms, ${protobuf!.requests} requests of ${fmt(protobuf!.bodyBytes)} B, failures ${JSON.stringify(protobuf!.failures)}`],
      ["JSON at half max rate", `${fmt(halfRate!.spansPerSec)} spans/s`, `p50 ${halfRate!.p50Ms.toFixed(1)} ms, p99 ${halfRate!.p99Ms.toFixed(1)} ms (100-span batches)`],
      // When they were sent tells a one-off stall (one moment) from a slow path (spread out).
      ["  slowest at half rate", `${halfRate!.slowest![0]!.ms.toFixed(0)} ms`, `${halfRate!.slowest!.map((r) => `${r.ms.toFixed(0)} ms at ${r.atS.toFixed(1)} s`).join(", ")} (seconds since the load began; the first at ${halfRate!.slowest![0]!.clock} UTC)`],
      ["raw-driver insert baseline", `${fmt(baseline)} spans/s`, `JSON/raw ratio ${((100 * json!.spansPerSec) / baseline).toFixed(0)}%`],
      ...(external ? [] : [
        ["server CPU per 100-span batch", `JSON ${(phaseCpu.json! / json!.requests).toFixed(1)} ms`, `protobuf ${(phaseCpu.protobuf! / protobuf!.requests).toFixed(1)} ms; raw insert ${baselineCpuPerBatch.toFixed(1)} ms${provider === "postgresql" ? " (client side only)" : ""}`],
        ["  by thread (JSON)", `main ${(phaseThreads.json!.main / json!.requests).toFixed(1)} ms`, `busiest other thread (${provider === "sqlite" ? "the SQLite writer" : "e.g. GC helper"}) ${(phaseThreads.json!.busiestOther / json!.requests).toFixed(1)} ms; ${provider === "sqlite" ? "both cores to the server alone" : "main thread alone, PostgreSQL's own CPU not counted"}: ≈ ${fmt((100_000 * json!.requests) / Math.max(phaseThreads.json!.main, phaseThreads.json!.busiestOther))} spans/s`],
        ["CPU-bound capacity (1 core)", `JSON ${fmt((100_000 * json!.requests) / phaseCpu.json!)} spans/s`, `protobuf ${fmt((100_000 * protobuf!.requests) / phaseCpu.protobuf!)} spans/s; raw insert ${fmt(100_000 / baselineCpuPerBatch)} spans/s; JSON/raw ${((100 * baselineCpuPerBatch) / (phaseCpu.json! / json!.requests)).toFixed(0)}%`],
      ]),
      ["load generator CPU/request", `JSON ${json!.clientCpuMs.toFixed(1)} ms`, `protobuf ${protobuf!.clientCpuMs.toFixed(1)} ms (same machine: this is CPU the server does not get)`],
      ["server peak RSS", external ? "n/a (external server)" : `${(peakRss / 1024 / 1024).toFixed(0)} MiB`, ""],
      ["machine load average", `${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`, "(1-minute; above 2 other work competes for the 2 cores and wall-clock figures drop)"],
    ];
    for (const [name, value, detail] of rows) console.log(`${name!.padEnd(28)} ${value!.padEnd(22)} ${detail}`);
    console.log(
      `targets: throughput ≥ ${fmt(goal)} ${json!.spansPerSec >= goal ? "PASS" : "FAIL"}; ` +
        (provider === "sqlite" ? `≥ 60% of raw ${json!.spansPerSec >= 0.6 * baseline ? "PASS" : "FAIL"}; ` : "") +
        `protobuf ≥ JSON ${protobuf!.spansPerSec >= json!.spansPerSec * 0.98 ? "PASS" : "FAIL"}; p99 ≤ 50 ms at half rate ${halfRate!.p99Ms <= 50 ? "PASS" : "FAIL"}; ` +
        `RSS ≤ 1 GiB ${external ? "n/a" : peakRss <= 1024 ** 3 ? "PASS" : "FAIL"}`,
    );
  } finally {
    clearInterval(sampler);
    if (server) {
      server.child.kill("SIGTERM");
      await new Promise((r) => server!.child.once("exit", r));
    }
    await target.drop();
  }
}

await main();
