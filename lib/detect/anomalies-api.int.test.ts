// The anomalies API and the trace detail endpoint over real HTTP against both databases, and the
// feedback loop: an anomaly marked "expected" changes what the scorer reports next.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/v1/anomalies/route";
import { POST as feedbackRoute } from "@/app/api/v1/anomalies/[id]/feedback/route";
import { GET as traceRoute } from "@/app/api/v1/traces/[traceId]/route";
import { generateWorkload, type GenTrace } from "@/bench/generator/generate-workload";
import { ingestAll } from "@/bench/generator/ingest-workload";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { serveHandler } from "@/tests/helpers/serve-handler";
import { Scorer } from "./scorer";

const RECEIVED = Date.now() - 120_000;
const OPTS = { partitions: 1, batchSize: 2000, quietMs: 2000, maxWaitMs: 60_000, leaseMs: 60_000 };
const w = generateWorkload({ seed: 21, traces: 2500, startMs: Date.UTC(2026, 10, 10), durationMs: 86_400_000, warmupFraction: 0.4, anomalyRate: 0.01, incidentsPerClass: 0, incidentMs: 300_000 });

function handler(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  let m: RegExpMatchArray | null;
  if (path === "/api/v1/anomalies" && req.method === "GET") return listRoute(req);
  if ((m = path.match(/^\/api\/v1\/anomalies\/([^/]+)\/feedback$/)) && req.method === "POST") return feedbackRoute(req, { params: Promise.resolve({ id: m[1]! }) });
  if ((m = path.match(/^\/api\/v1\/traces\/([^/]+)$/)) && req.method === "GET") return traceRoute(req, { params: Promise.resolve({ traceId: m[1]! }) });
  return Promise.resolve(new Response("no route", { status: 404 }));
}

/** A copy of a trace with fresh ids, shifted in time. */
function cloneTrace(t: GenTrace, tag: string, shiftMs: number): GenTrace {
  const id = (s: string) => (tag + s).slice(0, s.length);
  return { ...t, traceId: id(t.traceId), startMs: t.startMs + shiftMs, endMs: t.endMs + shiftMs, spans: t.spans.map((s) => ({ ...s, traceId: id(s.traceId), spanId: id(s.spanId), parentSpanId: s.parentSpanId && id(s.parentSpanId), startMs: s.startMs + shiftMs, endMs: s.endMs + shiftMs })) };
}

describe.each(PROVIDERS)("anomalies API on %s", (provider) => {
  let t: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let key: string;
  let projectId: string;
  const api = (path: string, init: RequestInit = {}) => fetch(server.url + path, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers } });
  const score = async () => {
    const s = new Scorer(t.db, t.raw, "api-test", OPTS);
    while ((await s.tick()).processed > 0);
    await s.stop();
  };

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await closeDb();
    process.env.DATABASE_URL = t.databaseUrl;
    resetEnvCache();
    // The API's mechanics on a one-day workload, not the calibration: a generous false-alarm budget.
    projectId = (await t.db.project.create({ data: { name: "api", settings: { detection: { falseAlertsPer10k: 1000 } } } })).id;
    key = (await createApiKey(t.db, projectId, "anomalies-api", ["ingest", "read", "admin"])).key;
    await ingestAll({ raw: t.raw, projectId }, w.traces, 200, RECEIVED);
    await score();
    server = await serveHandler(handler);
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
    await t?.cleanup();
  });

  it("pages through every anomaly with the cursor, newest first, without repeats", async () => {
    const total = await t.db.anomaly.count();
    expect(total).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api(`/api/v1/anomalies?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { anomalies: Array<{ id: string; createdAt: string }>; nextCursor: string | null };
      expect(body.anomalies.length).toBeLessThanOrEqual(7);
      seen.push(...body.anomalies.map((a) => a.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it.each([
    { name: "detector filter", query: "detector=loop,transition", check: (a: { detector: string }) => ["loop", "transition"].includes(a.detector) },
    { name: "minScore filter", query: "minScore=0.6", check: (a: { score: number }) => a.score >= 0.6 },
    { name: "severity filter", query: "severity=medium,high,critical", check: (a: { severity: string }) => ["medium", "high", "critical"].includes(a.severity) },
    // By when the behaviour happened (the workload's last 12 hours), not when the scorer saw it.
    {
      name: "time window", query: `since=${new Date(Date.UTC(2026, 10, 10, 12)).toISOString()}&until=${Date.UTC(2026, 10, 11)}`,
      check: (a: { occurredAt: string }) => Date.parse(a.occurredAt) >= Date.UTC(2026, 10, 10, 12) && Date.parse(a.occurredAt) < Date.UTC(2026, 10, 11),
    },
    { name: "time window of detection finds nothing", query: `since=${new Date(Date.now() - 3_600_000).toISOString()}&until=${Date.now() + 60_000}`, check: null },
  ])("filters: $name", async ({ query, check }) => {
    const body = (await (await api(`/api/v1/anomalies?limit=500&${query}`)).json()) as { anomalies: Array<{ detector: string; score: number }> };
    if (check === null) return expect(body.anomalies).toEqual([]);
    expect(body.anomalies.length).toBeGreaterThan(0);
    expect(body.anomalies.every(check as (a: unknown) => boolean)).toBe(true);
  });

  it.each([
    { name: "score above 1", path: "/api/v1/anomalies?minScore=2", status: 400, message: /minScore/ },
    { name: "unknown detector", path: "/api/v1/anomalies?detector=bogus", status: 400, message: /detector/ },
    { name: "unknown severity", path: "/api/v1/anomalies?severity=urgent", status: 400, message: /severity/ },
    { name: "oversize entity", path: `/api/v1/anomalies?entity=${"a".repeat(201)}`, status: 400, message: /entity/ },
    { name: "bad expected", path: "/api/v1/anomalies?expected=maybe", status: 400, message: /expected/ },
    { name: "unparseable time", path: "/api/v1/anomalies?since=yesterday", status: 400, message: /ISO 8601/ },
    { name: "bad cursor", path: "/api/v1/anomalies?cursor=zzz", status: 400, message: /cursor/ },
    { name: "unknown trace", path: "/api/v1/traces/00000000000000000000000000000000", status: 404, message: /No trace/ },
  ])("rejects $name with a clear message", async ({ path, status, message }) => {
    const res = await api(path);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("requires an API key", async () => {
    expect((await fetch(`${server.url}/api/v1/anomalies`)).status).toBe(401);
  });

  it("returns a trace with every span's score and its anomalies", async () => {
    const a = await t.db.anomaly.findFirstOrThrow({ where: { detector: "latency" } });
    const res = await api(`/api/v1/traces/${a.traceId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { trace: { anomalyScore: number }; spans: Array<{ spanId: string; anomalyScore: number; anomalies: Array<{ id: string }> }> };
    expect(body.spans.length).toBeGreaterThan(1);
    for (const s of body.spans) {
      expect(s.anomalyScore).toBeGreaterThanOrEqual(0);
      expect(s.anomalyScore).toBeLessThanOrEqual(1);
    }
    expect(body.spans.find((s) => s.spanId === a.spanId)!.anomalies.map((x) => x.id)).toContain(a.id);
    expect(body.trace.anomalyScore).toBeGreaterThanOrEqual(a.score);
  });

  it("a tool never used before is reported once, then known: every run is learned", async () => {
    const novelRows = (traceId: string) => t.db.anomaly.findMany({ where: { traceId, detector: "transition", metric: { in: ["novel_step", "novel_transition"] } } });
    const first = await t.db.anomaly.findFirstOrThrow({ where: { detector: "transition", metric: "novel_step" } });
    const novel = w.traces.find((x) => x.traceId === first.traceId)!;
    const end = w.options.startMs + w.options.durationMs;
    const again = cloneTrace(novel, "aa", end - novel.startMs + 60_000);
    await ingestAll({ raw: t.raw, projectId }, [again], 1, RECEIVED);
    await score();
    expect(await t.db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId, traceId: again.traceId } } })).toMatchObject({ scoredSeq: expect.any(BigInt) });
    expect(await novelRows(again.traceId)).toHaveLength(0);
  });

  it("feedback 'expected' on a latency spike makes the same value usual for its step", async () => {
    const spike = await t.db.anomaly.findFirstOrThrow({ where: { detector: "latency", metric: "duration_ms" }, orderBy: { score: "desc" } });
    for (const bad of [{ feedback: "nope" }, {}]) expect((await api(`/api/v1/anomalies/${spike.id}/feedback`, { method: "POST", body: JSON.stringify(bad) })).status).toBe(400);
    expect((await api(`/api/v1/anomalies/nope/feedback`, { method: "POST", body: JSON.stringify({ feedback: "expected" }) })).status).toBe(404);
    const res = await api(`/api/v1/anomalies/${spike.id}/feedback`, { method: "POST", body: JSON.stringify({ feedback: "expected" }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { anomaly: { feedback: string } }).anomaly.feedback).toBe("expected");
    // The same trace again, later: its spans are judged against the baseline that took the feedback in.
    const original = w.traces.find((x) => x.traceId === spike.traceId)!;
    const end = w.options.startMs + w.options.durationMs;
    const after = cloneTrace(original, "bb", end - original.startMs + 120_000);
    await ingestAll({ raw: t.raw, projectId }, [after], 1, RECEIVED);
    await score();
    expect(await t.db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId, traceId: after.traceId } } })).toMatchObject({ scoredSeq: expect.any(BigInt) });
    expect(await t.db.anomaly.findMany({ where: { traceId: after.traceId, detector: "latency", metric: "duration_ms", entity: spike.entity } })).toHaveLength(0);
  });

  it("filters by entity substring and by expected feedback", async () => {
    const all = (await (await api(`/api/v1/anomalies?limit=500`)).json()) as { anomalies: Array<{ id: string; entity: string; feedback: string | null }> };
    const agent = all.anomalies.find((a) => a.entity.split("/").length >= 3)!.entity.split("/")[1]!;
    const byEntity = (await (await api(`/api/v1/anomalies?limit=500&entity=${encodeURIComponent(agent)}`)).json()) as typeof all;
    expect(byEntity.anomalies.length).toBeGreaterThan(0);
    expect(byEntity.anomalies.every((a) => a.entity.includes(agent))).toBe(true);
    expect(byEntity.anomalies.length).toBeLessThan(all.anomalies.length);

    const marked = all.anomalies.find((a) => a.feedback === null)!;
    expect((await api(`/api/v1/anomalies/${marked.id}/feedback`, { method: "POST", body: JSON.stringify({ feedback: "expected" }) })).status).toBe(200);
    const only = (await (await api(`/api/v1/anomalies?limit=500&expected=only`)).json()) as typeof all;
    const excluded = (await (await api(`/api/v1/anomalies?limit=500&expected=exclude`)).json()) as typeof all;
    expect(only.anomalies.map((a) => a.id)).toContain(marked.id);
    expect(only.anomalies.every((a) => a.feedback === "expected")).toBe(true);
    expect(excluded.anomalies.map((a) => a.id)).not.toContain(marked.id);
    expect(excluded.anomalies.every((a) => a.feedback === null)).toBe(true);
  });
});
