// npm run bench:audit — the audit trail's costs on a fresh database: recording entries at a given concurrency
// (each its own transaction, sealed into the chain in the background as actions do), then sealing a backlog
// of unsealed entries, `audit verify` and `audit export` over what was written.
//   ARGUS_BENCH_DB=sqlite|postgresql (default sqlite)  ARGUS_BENCH_ENTRIES (default 5000)
//   ARGUS_BENCH_CONCURRENCY (appends in flight, default 8; Prisma's SQLite client runs one transaction at a time)
import { SYSTEM_CONTEXT } from "@/lib/audit/audit-actions";
import { appendAudit, exportAudit, recordAudit, verifyStoredChain } from "@/lib/audit/audit-store";
import { flushSeals, sealPending } from "@/lib/audit/seal-audit";
import { createTestDatabase, type Provider } from "@/tests/helpers/db";

const provider = (process.env.ARGUS_BENCH_DB ?? "sqlite") as Provider;
const entries = Number(process.env.ARGUS_BENCH_ENTRIES ?? 5000);
const concurrency = Number(process.env.ARGUS_BENCH_CONCURRENCY ?? 8);

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

async function main(): Promise<void> {
  const t = await createTestDatabase(provider);
  try {
    const context = { ...SYSTEM_CONTEXT, ip: "203.0.113.7", userAgent: "bench/1.0" };
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < entries) {
        const i = next++;
        const before = performance.now();
        await recordAudit(t.db, context, { action: "decision.create", target: { type: "decision", id: `d${i}` }, projectId: "bench", details: { agent: `agent-${i % 20}`, tool: "issue_refund", decision: "allow", risk: 0.1 } });
        latencies.push(performance.now() - before);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const appendSeconds = (performance.now() - started) / 1000;
    await flushSeals();
    const sealedBehind = (performance.now() - started) / 1000 - appendSeconds;
    latencies.sort((a, b) => a - b);

    // A backlog (entries of a process that stopped before sealing), sealed in one go.
    const backlog = Math.min(entries, 2000);
    for (let i = 0; i < backlog; i += 100) {
      await t.db.$transaction(async (tx) => {
        for (let k = i; k < Math.min(backlog, i + 100); k++) await appendAudit(tx, context, { action: "key.create", projectId: "bench", details: { k } });
      });
    }
    const sealStart = performance.now();
    const sealed = await sealPending(t.db);
    const sealSeconds = (performance.now() - sealStart) / 1000;

    const verifyStart = performance.now();
    const verified = await verifyStoredChain(t.db, provider);
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    const exportStart = performance.now();
    let bytes = 0;
    const exported = await exportAudit(t.db, { since: new Date(0), write: (entry) => void (bytes += JSON.stringify(entry).length + 1) });
    const exportSeconds = (performance.now() - exportStart) / 1000;

    console.log(`bench:audit on ${provider}: ${entries} appends, ${concurrency} in flight`);
    console.log(`  recorded ${(entries / appendSeconds).toFixed(0)}/s; latency p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; all sealed ${(sealedBehind * 1000).toFixed(0)} ms after the last`);
    console.log(`  sealing a backlog: ${sealed} entries in ${sealSeconds.toFixed(2)} s (${(sealed / sealSeconds).toFixed(0)} entries/s)`);
    console.log(`  verify: ${verified.ok ? "intact" : "BROKEN"}, ${verified.count} entries in ${verifySeconds.toFixed(2)} s (${(verified.count / verifySeconds).toFixed(0)} entries/s)`);
    console.log(`  export: ${exported} entries, ${(bytes / 1e6).toFixed(1)} MB in ${exportSeconds.toFixed(2)} s (${(exported / exportSeconds).toFixed(0)} entries/s)`);
  } finally {
    await t.cleanup();
  }
}

await main();
process.exit(0);
