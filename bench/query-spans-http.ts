// bench:query's span list figures: GET /api/v1/spans read end to end over HTTP from the production web server
// (pages of 5,000, each parsed as a client would), in spans per second, with every span scored and about 1 %
// carrying a span-level anomaly, as after the scorer caught up.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApiKey } from "@/lib/auth/api-keys";
import type { Db, RawDb } from "@/lib/db";
import { startProcesses } from "./child-processes";
import { processTreeCpuMs } from "./process-tree";

async function exec(raw: RawDb, text: string): Promise<void> {
  if (raw.provider === "sqlite") raw.sqlite.exec(text);
  else await raw.pool.query(text);
}

/** Scores for spans that have none and an anomaly on every 100th span: what the span list returns then. */
export async function ensureScoresAndAnomalies(raw: RawDb): Promise<void> {
  await exec(raw, `INSERT INTO span_scores (seq, "projectId", score) SELECT seq, "projectId", (seq % 1000) / 1000.0 FROM spans s
    WHERE NOT EXISTS (SELECT 1 FROM span_scores c WHERE c.seq = s.seq)`);
  await exec(raw, `INSERT INTO anomalies (id, "projectId", "traceId", "spanId", "spanSeq", detector, metric, entity, score, severity, explanation, fingerprint, "dedupKey")
    SELECT 'bench-' || seq, "projectId", "traceId", "spanId", seq, 'latency', 'duration_ms', step, 0.9, 'high', 'bench anomaly', 'bench', 'bench:' || seq FROM spans s
    WHERE seq % 100 = 0 AND NOT EXISTS (SELECT 1 FROM anomalies a WHERE a."dedupKey" = 'bench:' || s.seq)`);
  await exec(raw, "ANALYZE");
}

export interface PassResult {
  spans: number;
  pages: number;
  ms: number;
  /** CPU time of the web process (SQLite: the database work included) and of PostgreSQL's backends. */
  webCpuMs: number;
  dbCpuMs: number;
}

/** CPU ms used so far by each PostgreSQL backend serving this database (the server runs on this machine). */
async function backendCpuMs(raw: RawDb): Promise<Map<number, number>> {
  if (raw.provider !== "postgresql") return new Map();
  const { rows } = await raw.pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  return new Map(rows.map((r) => [Number(r.pid), processTreeCpuMs(Number(r.pid))]));
}

/** CPU the backends used between two snapshots (a backend that ended meanwhile is not counted). */
function backendCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** Starts the web server against the bench database and reads the project's spans `passes` times. */
export async function readSpansOverHttp(options: { root: string; databaseUrl: string; db: Db; raw: RawDb; projectId: string; passes: number; limit: number; maxSpans: number }): Promise<PassResult[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "argus-bench-http-"));
  const { key } = await createApiKey(options.db, options.projectId, "bench-query", ["read"]);
  const web = await startProcesses({ root: options.root, databaseUrl: options.databaseUrl, dataDir, logDir: dataDir, workers: [] });
  try {
    const results: PassResult[] = [];
    for (let pass = 0; pass < options.passes; pass++) {
      let cursor: string | null = null;
      let spans = 0;
      let pages = 0;
      const [web0, db0] = [processTreeCpuMs(web.pids().web), await backendCpuMs(options.raw)];
      const t0 = performance.now();
      do {
        const query = new URLSearchParams({ from: "0", to: String(Date.now() + 3600_000), limit: String(options.limit), ...(cursor ? { cursor } : {}) });
        const res = await fetch(`${web.url}/api/v1/spans?${query}`, { headers: { authorization: `Bearer ${key}` } });
        if (!res.ok) throw new Error(`GET /api/v1/spans → ${res.status}: ${(await res.text()).slice(0, 300)}`);
        const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
        spans += body.items.length;
        pages++;
        cursor = body.nextCursor;
      } while (cursor && spans < options.maxSpans);
      const ms = performance.now() - t0;
      results.push({ spans, pages, ms, webCpuMs: processTreeCpuMs(web.pids().web) - web0, dbCpuMs: backendCpuDelta(db0, await backendCpuMs(options.raw)) });
    }
    return results;
  } finally {
    await web.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
