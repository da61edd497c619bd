// npm run bench:alert — time from span ingested (POST /v1/traces acknowledged) to webhook received,
// through the production server, the scorer and the notifier, p50/p95 over ARGUS_BENCH_ALERTS alerts.
//   ARGUS_BENCH_DB=sqlite|postgresql (default sqlite)  ARGUS_BENCH_ALERTS (default 100)  ARGUS_BENCH_RATE (alerts/s, default 5)
// Needs a production build (npm run build). Target: p95 ≤ 5 s.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createApiKey } from "@/lib/auth/api-keys";
import { findWorker } from "@/workers/registry";
import { createTestDatabase, type Provider, type TestDatabase } from "@/tests/helpers/db";
import { hex, jsonRequest, type FixtureSpan } from "@/tests/helpers/otlp-fixtures";
import { startReceiver } from "@/tests/alerts/receiver";

const provider = (process.env.ARGUS_BENCH_DB ?? "sqlite") as Provider;
const alerts = Number(process.env.ARGUS_BENCH_ALERTS ?? 100);
const rate = Number(process.env.ARGUS_BENCH_RATE ?? 5);
const WARMUP_PER_ENTITY = 15;
const root = path.resolve(import.meta.dirname, "..");
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ARGUS_LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function span(step: string, durationMs: number): FixtureSpan {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: hex(16), spanId: hex(8), name: step, kind: 1, startNs: endNs - BigInt(Math.round(durationMs * 1e6)), endNs,
    attributes: { "gen_ai.agent.name": "bench-agent", "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": step },
  };
}

async function post(url: string, key: string, spans: FixtureSpan[]): Promise<void> {
  const res = await fetch(`${url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(jsonRequest(spans, { "service.name": "bench" })),
  });
  if (!res.ok) throw new Error(`POST /v1/traces answered ${res.status}: ${await res.text()}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  if (!findWorker("scorer")) {
    console.log("bench:alert PENDING: no `scorer` worker in workers/registry.ts yet; the bench needs ingestion + scorer + notifier.");
    process.exitCode = 2;
    return;
  }
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  let t: TestDatabase | undefined;
  const receiver = await startReceiver(() => ({ status: 204 }));
  try {
    t = await createTestDatabase(provider);
    const project = await t.db.project.create({ data: { name: "bench-alerts", settings: { detection: { minHistory: WARMUP_PER_ENTITY - 5 } } } });
    const { key } = await createApiKey(t.db, project.id, "default", ["ingest"]);
    await t.db.notificationChannel.create({ data: { projectId: project.id, type: "webhook", name: "bench", url: `${receiver.url}/hook`, secret: "bench-secret-0123456789", minSeverity: "info" } });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The receiver listens on 127.0.0.1, which the outbound policy refuses unless allowed (docs/security.md).
    const env = { DATABASE_URL: t.databaseUrl, ARGUS_PUBLIC_URL: url, ARGUS_OUTBOUND_ALLOW: "127.0.0.1" };
    start([path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { ...env, NODE_ENV: "production", PORT: String(port) });
    start(["--import", "tsx", "workers/main.ts", "scorer"], env);
    start(["--import", "tsx", "workers/main.ts", "notifier"], env);
    await waitFor("server", 30_000, async () => (await fetch(`${url}/api/health`)).status < 500);

    // Warm-up: every entity (one step per alert) learns a normal latency around 100 ms.
    const steps = Array.from({ length: alerts }, (_, i) => `bench-step-${i}`);
    const warm: FixtureSpan[] = steps.flatMap((s) => Array.from({ length: WARMUP_PER_ENTITY }, () => span(s, 90 + Math.random() * 20)));
    for (let i = 0; i < warm.length; i += 500) await post(url, key, warm.slice(i, i + 500));
    console.log(`warm-up: ${warm.length} spans sent; waiting for the scorer`);
    await waitFor("scorer to score the warm-up spans", 180_000, async () => (await t!.db.spanScore.count()) >= warm.length);
    const before = receiver.requests.length;
    if (before > 0) console.log(`note: ${before} notifications during warm-up (ignored)`);

    // Measurement: one 100× latency outlier per entity, at `rate` per second; t0 = OTLP ack.
    const ackedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    receiver.onRequest = (r) => {
      const body = JSON.parse(r.body) as { type: string; alert?: { entity: string } };
      const step = steps.find((s) => body.alert?.entity.includes(`/${s}/`));
      if (body.type === "alert.opened" && step && !receivedAt.has(step)) receivedAt.set(step, r.at);
    };
    for (const step of steps) {
      const started = Date.now();
      await post(url, key, [span(step, 10_000)]);
      ackedAt.set(step, Date.now());
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - (Date.now() - started))));
    }
    await waitFor("webhooks", 60_000, async () => receivedAt.size >= steps.length).catch(() => undefined);

    const latencies = steps.filter((s) => receivedAt.has(s)).map((s) => receivedAt.get(s)! - ackedAt.get(s)!).sort((a, b) => a - b);
    const missing = steps.length - latencies.length;
    console.log(`bench:alert (${provider}): ${latencies.length}/${steps.length} alerts delivered, ${rate}/s`);
    console.log(`  span ack → webhook received: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms (target p95 ≤ 5000 ms)`);
    // Where the time goes: ack → anomaly written (scorer) → outbox row (alert recording) → received (notifier + HTTP).
    const deliveries = await t.db.alertDelivery.findMany({
      where: { projectId: project.id, reason: "opened" },
      select: { createdAt: true, alert: { select: { entity: true, anomalies: { select: { createdAt: true }, orderBy: { createdAt: "asc" }, take: 1 } } } },
    });
    const stages: Record<"scorer" | "record" | "deliver", number[]> = { scorer: [], record: [], deliver: [] };
    for (const d of deliveries) {
      const step = steps.find((s) => d.alert?.entity.includes(`/${s}/`));
      const anomalyAt = d.alert?.anomalies[0]?.createdAt.getTime();
      if (!step || anomalyAt === undefined || !receivedAt.has(step)) continue;
      stages.scorer.push(anomalyAt - ackedAt.get(step)!);
      stages.record.push(d.createdAt.getTime() - anomalyAt);
      stages.deliver.push(receivedAt.get(step)! - d.createdAt.getTime());
    }
    for (const [name, values] of Object.entries(stages)) {
      values.sort((a, b) => a - b);
      console.log(`  stage ${name.padEnd(7)} p50 ${percentile(values, 50)} ms, p95 ${percentile(values, 95)} ms`);
    }
    if (missing) console.log(`  ${missing} alerts were not notified within 60 s`);
    const types = new Map<string, number>();
    for (const r of receiver.requests.slice(before)) {
      const b = JSON.parse(r.body) as { type: string; alert?: { detector: string } };
      const k = `${b.type}/${b.alert?.detector ?? "-"}`;
      types.set(k, (types.get(k) ?? 0) + 1);
    }
    console.log(`  webhooks received in total: ${receiver.requests.length - before} (${[...types].map(([k, n]) => `${k} ${n}`).join(", ")})`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once("exit", r)))));
    await receiver.close();
    await t?.cleanup();
  }
}

await main();
