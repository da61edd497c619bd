// npm run bench:decide — latency of POST /api/v1/decisions against the production server, at a fixed
// request rate (open loop: each request's latency counts from its scheduled start, so a slow server
// cannot slow the load down), with the shipped refund-limits policy (it reads windowed aggregates).
//   ARGUS_BENCH_DB=sqlite|postgresql (default sqlite)  ARGUS_BENCH_RATE (decisions/s, default 500)
//   ARGUS_BENCH_SECONDS (default 10)
// Needs a production build (npm run build). Target (issue 20): p99 ≤ 10 ms on SQLite, ≤ 20 ms on PostgreSQL.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createApiKey } from "@/lib/auth/api-keys";
import { applyPolicy } from "@/lib/policies/policy-store";
import { createTestDatabase, type Provider } from "@/tests/helpers/db";
import { startServer } from "@/tests/helpers/server";

const provider = (process.env.ARGUS_BENCH_DB ?? "sqlite") as Provider;
const rate = Number(process.env.ARGUS_BENCH_RATE ?? 500);
const seconds = Number(process.env.ARGUS_BENCH_SECONDS ?? 10);
const WARMUP = 50;
const root = path.resolve(import.meta.dirname, "..");
const POLICY = readFileSync(path.join(root, "docs/policies/refund-limits.yaml"), "utf8");

/** The q-th quantile (0–1) of ascending values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

/** A mix of actions: refunds by 20 agents to 200 customers, and lookups. */
function action(i: number): Record<string, unknown> {
  if (i % 4 === 3) return { agent: `support-${i % 20}`, tool: "lookup_customer", args: { email: `c${i % 200}@example.com` }, user: `cust-${i % 200}` };
  return { agent: `support-${i % 20}`, tool: "issue_refund", args: { amount: (i * 37) % 700 }, user: `cust-${i % 200}`, session: `s-${i % 50}` };
}

async function main(): Promise<void> {
  const t = await createTestDatabase(provider);
  const server = await startServer({ databaseUrl: t.databaseUrl, env: { ARGUS_WORKERS: "none" } });
  try {
    const { key } = await createApiKey(t.db, server.projectId, "agents", ["ingest"]);
    await applyPolicy(t.db, { projectId: server.projectId, source: POLICY, author: "bench" });
    const decide = async (i: number): Promise<string> => {
      const res = await fetch(`${server.url}/api/v1/decisions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(action(i)) });
      const body = (await res.json()) as { decision?: string };
      return res.status === 201 ? body.decision! : `HTTP ${res.status}`;
    };
    const warmup: number[] = [];
    for (let i = 0; i < WARMUP; i++) {
      const before = performance.now();
      await decide(i);
      warmup.push(performance.now() - before);
    }
    warmup.sort((a, b) => a - b);

    const total = Math.round(rate * seconds);
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        decide(WARMUP + i).catch((error: Error & { cause?: { code?: string } }) => `failed: ${error.cause?.code ?? error.message}`).then((outcome) => {
          latencies.push(performance.now() - due);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const target = provider === "sqlite" ? 10 : 20;
    console.log(`bench:decide on ${provider}: ${total} decisions at ${rate}/s for ${seconds} s (achieved ${(total / elapsed).toFixed(0)}/s)`);
    console.log(`  latency p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (target p99 ≤ ${target} ms)`);
    console.log(`  one at a time (warm-up): p50 ${quantile(warmup, 0.5).toFixed(1)} ms, max ${warmup.at(-1)!.toFixed(1)} ms`);
    console.log(`  outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; stored ${await t.db.decision.count()}`);
  } finally {
    await server.stop();
    await t.cleanup();
  }
}

await main();
process.exit(0);
