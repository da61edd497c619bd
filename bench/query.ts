// `npm run bench:query -- [--spans 1000000] [--provider sqlite|postgresql|both] [--runs 200] [--fresh]
//    [--span-passes 3] [--span-read N] [--skip-http] [--sqlite FILE] [--pg URL]`
// Seeds N spans over the last 24 h (once; reused while the count matches), then prints p50/p95 of the
// dashboard's read paths: trace list, trace detail, overview, sessions and users. Targets: list p95 ≤ 50 ms, detail
// ≤ 30 ms, overview ≤ 300 ms (the sessions and users lists and a session's turns: as the trace list and detail).
// Then the span list (GET /api/v1/spans, pages of 5,000; every span scored, 1 % with an anomaly): one page in
// process, and whole passes over HTTP from the production web server (needs `npm run build`). Target ≥ 20,000 spans/s.
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureProject } from "@/lib/auth/api-keys";
import { createPrismaClient, type RawDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/setup";
import { openRaw, pgConfigFromUrl } from "@/lib/db/open";
import { ZTraceListQuery, listTraces } from "@/lib/queries/list-traces";
import { listSpans } from "@/lib/queries/list-spans";
import { buildOverview } from "@/lib/queries/overview";
import { ZSessionListQuery, ZSessionTurnsQuery, getTraceSession, listTraceSessions } from "@/lib/queries/trace-sessions";
import { ZUserListQuery, listTraceUsers } from "@/lib/queries/trace-users";
import { ZSpanListQuery } from "@/lib/queries/span-list-query";
import { getTraceWithAnomalies } from "@/lib/detect/query-anomalies";
import { seedSpans } from "@/scripts/seed-run";
import { hasProductionBuild } from "./child-processes";
import { ensureScoresAndAnomalies, readSpansOverHttp } from "./query-spans-http";

const { values } = parseArgs({
  options: {
    spans: { type: "string", default: "1000000" },
    provider: { type: "string", default: "both" },
    runs: { type: "string", default: "200" },
    fresh: { type: "boolean", default: false },
    pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/argus_bench" },
    sqlite: { type: "string", default: path.join(os.tmpdir(), "argus-bench", "argus.db") },
    "span-passes": { type: "string", default: "3" },
    "span-read": { type: "string", default: String(Number.MAX_SAFE_INTEGER) },
    "skip-http": { type: "boolean", default: false },
  },
});
const SPANS = Number(values.spans);
const RUNS = Number(values.runs);
const root = path.resolve(import.meta.dirname, "..");
const SPAN_PAGE = 5000;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function time(label: string, runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn(i); // warm-up: statement caches, page cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

async function countSpans(raw: RawDb): Promise<number> {
  if (raw.provider === "sqlite") return Number((raw.sqlite.prepare("SELECT COUNT(*) AS n FROM spans").get() as { n: number }).n);
  return Number((await raw.pool.query("SELECT COUNT(*) AS n FROM spans")).rows[0].n);
}

async function benchProvider(provider: "sqlite" | "postgresql") {
  const file = path.resolve(values.sqlite!);
  const target = provider === "sqlite" ? ({ databaseProvider: provider, databaseTarget: file } as const) : ({ databaseProvider: provider, databaseTarget: values.pg! } as const);
  if (values.fresh) {
    if (provider === "sqlite") rmSync(path.dirname(file), { recursive: true, force: true });
    else {
      const admin = new pg.Client({ ...pgConfigFromUrl(values.pg!), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(values.pg!).pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
    }
  }
  await migrateDatabase(target);
  const db = createPrismaClient(target);
  const raw = openRaw(target);
  const project = await ensureProject(db, "bench");
  let have = await countSpans(raw);
  if (have < SPANS) {
    const started = Date.now();
    process.stdout.write(`[${provider}] seeding ${(SPANS - have).toLocaleString()} spans…\n`);
    await seedSpans({
      raw,
      projectId: project.id,
      spans: SPANS - have,
      hours: 24,
      endMs: Date.now(),
      seed: have + 1,
      onProgress: (n) => n % 200_000 < 5000 && process.stdout.write(`  ${n.toLocaleString()} (${Math.round(n / ((Date.now() - started) / 1000)).toLocaleString()} spans/s)\n`),
    });
    if (raw.provider === "postgresql") await raw.pool.query("ANALYZE");
    else raw.sqlite.exec("ANALYZE");
    have = await countSpans(raw);
  }
  await ensureScoresAndAnomalies(raw);
  const now = Date.now();
  const ids = (await db.trace.findMany({ where: { projectId: project.id }, select: { traceId: true }, orderBy: { startNs: "desc" }, take: 2000 })).map((t) => t.traceId);
  const anomalous = (await db.trace.findMany({ where: { projectId: project.id }, select: { traceId: true }, orderBy: { durationMs: "desc" }, take: 1 }))[0]?.traceId;
  const firstPage = await listTraces(raw, project.id, ZTraceListQuery.parse({ range: "24h" }), now);
  const sessions = await listTraceSessions(raw, project.id, ZSessionListQuery.parse({ range: "24h" }), now);
  const sessionIds = sessions.items.map((x) => x.sessionId);
  const someUser = sessions.items.find((x) => x.userId)?.userId ?? undefined;
  const allSpans = (cursor?: string) => ZSpanListQuery.parse({ from: 0, to: now + 3600_000, limit: SPAN_PAGE, cursor });
  const spanPage2 = (await listSpans(raw, project.id, allSpans(), now)).nextCursor ?? undefined;
  const results = [
    await time("trace list (24h, newest first)", RUNS, () => listTraces(raw, project.id, ZTraceListQuery.parse({ range: "24h" }), now)),
    await time("trace list (page 2 via cursor)", RUNS, () => listTraces(raw, project.id, ZTraceListQuery.parse({ range: "24h", cursor: firstPage.nextCursor! }), now)),
    await time("trace list (agent + error filter)", RUNS, () => listTraces(raw, project.id, ZTraceListQuery.parse({ range: "24h", agent: "research-agent", status: "error" }), now)),
    await time("trace list (model filter)", RUNS, () => listTraces(raw, project.id, ZTraceListQuery.parse({ range: "24h", model: "gpt-4o" }), now)),
    await time("trace detail", RUNS, (i) => getTraceWithAnomalies(db, project.id, i === 0 && anomalous ? anomalous : ids[i % ids.length]!).then((d) => JSON.stringify(d, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))),
    await time("sessions list (24h, latest first)", RUNS, () => listTraceSessions(raw, project.id, ZSessionListQuery.parse({ range: "24h" }), now)),
    await time("sessions list (page 2 via cursor)", RUNS, () => listTraceSessions(raw, project.id, ZSessionListQuery.parse({ range: "24h", cursor: sessions.nextCursor ?? undefined }), now)),
    await time("sessions of one user (24h)", RUNS, () => listTraceSessions(raw, project.id, ZSessionListQuery.parse({ range: "24h", userId: someUser }), now)),
    await time("session detail (turns with messages)", RUNS, (i) => (sessionIds.length ? getTraceSession(raw, project.id, sessionIds[i % sessionIds.length]!, ZSessionTurnsQuery.parse({})) : Promise.resolve())),
    await time("users list (24h)", RUNS, () => listTraceUsers(raw, project.id, ZUserListQuery.parse({ range: "24h" }), now)),
    await time("overview (1h)", Math.min(RUNS, 100), () => buildOverview(db, raw, project.id, { fromMs: now - 3600_000, toMs: now })),
    await time("overview (24h)", Math.min(RUNS, 50), () => buildOverview(db, raw, project.id, { fromMs: now - 86_400_000, toMs: now })),
    await time(`span list (${SPAN_PAGE} spans, page 2)`, Math.min(RUNS, 20), () => listSpans(raw, project.id, allSpans(spanPage2), now)),
    await time(`span list (${SPAN_PAGE}, 1 h, step filter)`, Math.min(RUNS, 20), () =>
      listSpans(raw, project.id, ZSpanListQuery.parse({ from: now - 3 * 3600_000, to: now - 2 * 3600_000, step: "web_search", limit: SPAN_PAGE }), now),
    ),
  ];
  console.log(`\n[${provider}] ${have.toLocaleString()} spans`);
  for (const r of results) console.log(`  ${r.label.padEnd(36)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms`);
  if (values["skip-http"]) console.log("  span list over HTTP: skipped (--skip-http)");
  else if (!hasProductionBuild(root)) console.log("  span list over HTTP: skipped, no production build (run `npm run build`)");
  else {
    const databaseUrl = provider === "sqlite" ? `file:${file}` : values.pg!;
    const passes = await readSpansOverHttp({ root, databaseUrl, db, raw, projectId: project.id, passes: Number(values["span-passes"]), limit: SPAN_PAGE, maxSpans: Number(values["span-read"]) });
    for (const [i, p] of passes.entries()) {
      const cpuPerPage = (p.webCpuMs + p.dbCpuMs) / p.pages;
      console.log(`  span list over HTTP, pass ${i + 1}          ${p.spans.toLocaleString()} spans in ${p.pages} pages, ${(p.ms / 1000).toFixed(1)} s: ${Math.round(p.spans / (p.ms / 1000)).toLocaleString()} spans/s`);
      console.log(`    server CPU ${cpuPerPage.toFixed(0)} ms per page (web ${(p.webCpuMs / p.pages).toFixed(0)}${raw.provider === "postgresql" ? ` + database ${(p.dbCpuMs / p.pages).toFixed(0)}` : ", database included"}): ${Math.round(p.spans / ((p.webCpuMs + p.dbCpuMs) / 1000)).toLocaleString()} spans per server CPU-second`);
    }
    console.log(`  (load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} on ${os.cpus().length} cores)`);
  }
  await db.$disconnect();
  if (raw.provider === "sqlite") raw.sqlite.close();
  else await raw.pool.end();
}

const providers = values.provider === "both" ? (["sqlite", "postgresql"] as const) : [values.provider as "sqlite" | "postgresql"];
for (const p of providers) await benchProvider(p);
