// Overview read model: headline figures, time series and breakdowns for a time range.
// Per-minute span_rollups feed the series, per-agent runs and per-model costs; the traces table gives
// only an index-only count; anomalies and alerts come from Prisma.
import type { Db, RawDb } from "../db";
import { chooseBucketMs, fillSeries, safeRatio } from "../charts/buckets";
import { addHistogram, histogramPercentile, type HistCounts } from "./latency";
import { rankAnomalousEntities } from "./top-anomalous";
import { executorFor } from "../db/executor";
import { verbatim, sql, type Sql } from "../db/sql";
import { parseJsonColumn, toNumber } from "../db/sql-values";
import { msToNs, type TimeRange } from "./time-range";


interface RollupBucketRow {
  t: number;
  spans: number;
  errors: number;
  tokens: number;
  cost: number;
}

/** span_rollups rows of a project in a time range. */
const rollupsIn = (projectId: string, range: TimeRange): Sql =>
  sql`"projectId" = ${projectId} AND "minuteMs" >= ${BigInt(range.fromMs)} AND "minuteMs" < ${BigInt(range.toMs)}`;

async function rollupSeries(raw: RawDb, projectId: string, range: TimeRange, bucketMs: number) {
  // Inlined (an integer we computed): the GROUP BY expression must be the select list's, not three parameters.
  const b = verbatim(String(Math.trunc(bucketMs)));
  const rows = await executorFor(raw).all(sql`SELECT ("minuteMs" / ${b}) * ${b} AS t, SUM("spanCount") AS spans, SUM("errorCount") AS errors,
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN 0 ELSE "inputTokens" + "outputTokens" END) AS tokens,
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN 0 ELSE "costUsd" END) AS cost
    FROM span_rollups WHERE ${rollupsIn(projectId, range)}
    GROUP BY ("minuteMs" / ${b}) * ${b}`);
  return rows.map(
    (r): RollupBucketRow => ({ t: toNumber(r.t), spans: toNumber(r.spans), errors: toNumber(r.errors), tokens: toNumber(r.tokens), cost: toNumber(r.cost) }),
  );
}

/** LLM latency histograms merged per bucket and overall (all span kinds when no LLM span is in range). */
async function latencyByBucket(raw: RawDb, projectId: string, range: TimeRange, bucketMs: number) {
  const read = async (llmOnly: boolean) => {
    return executorFor(raw).all<{ minuteMs: number; latencyHist: unknown }>(sql`SELECT "minuteMs", "latencyHist" FROM span_rollups
      WHERE ${rollupsIn(projectId, range)} AND "latencyHist" IS NOT NULL ${llmOnly ? sql`AND "kind" = 'llm'` : sql``}`);
  };
  let rows = await read(true);
  const scope = rows.length > 0 ? "llm" : "all";
  if (rows.length === 0) rows = await read(false);
  const overall: HistCounts = new Map();
  const buckets = new Map<number, HistCounts>();
  for (const row of rows) {
    const hist = parseJsonColumn<unknown>(row.latencyHist);
    const t = Math.floor(toNumber(row.minuteMs) / bucketMs) * bucketMs;
    let h = buckets.get(t);
    if (!h) buckets.set(t, (h = new Map()));
    addHistogram(h, hist);
    addHistogram(overall, hist);
  }
  const series = [...buckets].map(([t, h]) => ({ t, p50: histogramPercentile(h, 0.5), p95: histogramPercentile(h, 0.95) }));
  return { scope, series, p50: histogramPercentile(overall, 0.5), p95: histogramPercentile(overall, 0.95) };
}

/**
 * Per-agent runs, failures and spend from span_rollups (a scan of the traces table is too slow over
 * a day of traffic): a run is an agent span (invoke_agent), a failed run one with error status; spend
 * is what LLM/tool spans under the agent reported, or the agent spans' own figures when those are all
 * that reported usage.
 */
async function agentFigures(raw: RawDb, projectId: string, range: TimeRange) {
  const rows = await executorFor(raw).all(sql`SELECT "agent",
      SUM(CASE WHEN "kind" = 'agent' THEN "spanCount" ELSE 0 END) AS runs,
      SUM(CASE WHEN "kind" = 'agent' THEN "errorCount" ELSE 0 END) AS failed,
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN 0 ELSE "costUsd" END) AS cost,
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN 0 ELSE "inputTokens" + "outputTokens" END) AS tokens,
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN "costUsd" ELSE 0 END) AS "containerCost",
      SUM(CASE WHEN "kind" IN ('agent', 'chain') THEN "inputTokens" + "outputTokens" ELSE 0 END) AS "containerTokens",
      SUM("spanCount") AS spans
    FROM span_rollups WHERE ${rollupsIn(projectId, range)}
    GROUP BY "agent"`);
  return rows.map((r) => {
    const runs = toNumber(r.runs);
    const failed = toNumber(r.failed);
    const own = toNumber(r.cost) > 0 || toNumber(r.tokens) > 0;
    const cost = toNumber(own ? r.cost : r.containerCost);
    return {
      agent: String(r.agent || "(none)"),
      runs,
      failedRuns: failed,
      spans: toNumber(r.spans),
      costUsd: cost,
      tokens: toNumber(own ? r.tokens : r.containerTokens),
      costPerRun: safeRatio(cost, runs),
      // Failed attempts and retries still cost money: all spend divided by the runs that succeeded.
      costPerSuccessfulRun: safeRatio(cost, runs - failed),
    };
  });
}

/** Trace count in the range: an index-only count on (projectId, startNs). */
async function countTraces(raw: RawDb, projectId: string, range: TimeRange): Promise<number> {
  const row = await executorFor(raw).one<{ n: unknown }>(
    sql`SELECT COUNT(*) AS n FROM traces WHERE "projectId" = ${projectId} AND "startNs" >= ${msToNs(range.fromMs)} AND "startNs" < ${msToNs(range.toMs)}`,
  );
  return toNumber(row?.n);
}

async function modelFigures(raw: RawDb, projectId: string, range: TimeRange) {
  const rows = await executorFor(raw).all(sql`SELECT "model", SUM("spanCount") AS calls, SUM("errorCount") AS errors, SUM("inputTokens") AS input, SUM("outputTokens") AS output,
      SUM("costUsd") AS cost, SUM("durationMsSum") AS duration
    FROM span_rollups WHERE ${rollupsIn(projectId, range)}
      AND "model" <> '' AND "kind" NOT IN ('agent', 'chain')
    GROUP BY "model" ORDER BY SUM("costUsd") DESC`);
  return rows.map((r) => {
    const tokens = toNumber(r.input) + toNumber(r.output);
    const cost = toNumber(r.cost);
    const calls = toNumber(r.calls);
    return {
      model: String(r.model),
      calls,
      errors: toNumber(r.errors),
      inputTokens: toNumber(r.input),
      outputTokens: toNumber(r.output),
      tokens,
      costUsd: cost,
      tokensPerDollar: safeRatio(tokens, cost),
      avgLatencyMs: safeRatio(toNumber(r.duration), calls),
    };
  });
}

/** Anomalies counted and plotted when their behaviour happened, so they line up with the spans that show it. */
async function anomalyFigures(db: Db, projectId: string, range: TimeRange) {
  const rows = await db.anomaly.findMany({
    where: { projectId, occurredAt: { gte: new Date(range.fromMs), lt: new Date(range.toMs) } },
    select: { id: true, occurredAt: true, entity: true, detector: true, score: true, severity: true, traceId: true, spanId: true, feedback: true },
    orderBy: { occurredAt: "desc" },
    take: 20_000,
  });
  return {
    times: rows.map((a) => a.occurredAt.getTime()),
    total: rows.length,
    top: rankAnomalousEntities(rows, 10),
  };
}

export async function buildOverview(db: Db, raw: RawDb, projectId: string, range: TimeRange) {
  const bucketMs = chooseBucketMs(range.toMs - range.fromMs);
  const [rollups, latency, agents, traces, models, anomalies, openAlerts] = await Promise.all([
    rollupSeries(raw, projectId, range, bucketMs),
    latencyByBucket(raw, projectId, range, bucketMs),
    agentFigures(raw, projectId, range),
    countTraces(raw, projectId, range),
    modelFigures(raw, projectId, range),
    anomalyFigures(db, projectId, range),
    db.alert.count({ where: { projectId, status: { not: "resolved" } } }),
  ]);
  const anomalyCounts = new Map<number, number>();
  for (const t of anomalies.times) {
    const b = Math.floor(t / bucketMs) * bucketMs;
    anomalyCounts.set(b, (anomalyCounts.get(b) ?? 0) + 1);
  }
  const latencyByT = new Map(latency.series.map((p) => [p.t, p]));
  const points = rollups.map((r) => ({
    t: r.t,
    spans: r.spans,
    errors: r.errors,
    errorRate: safeRatio(r.errors, r.spans),
    tokens: r.tokens,
    costUsd: r.cost,
    p50: latencyByT.get(r.t)?.p50 ?? null,
    p95: latencyByT.get(r.t)?.p95 ?? null,
    anomalies: anomalyCounts.get(r.t) ?? 0,
  }));
  for (const [t, n] of anomalyCounts) if (!rollups.some((r) => r.t === t)) points.push({ t, spans: 0, errors: 0, errorRate: null, tokens: 0, costUsd: 0, p50: null, p95: null, anomalies: n });
  const series = fillSeries(points, range.fromMs, range.toMs, bucketMs, {
    spans: "zero",
    errors: "zero",
    errorRate: "gap",
    tokens: "zero",
    costUsd: "zero",
    p50: "gap",
    p95: "gap",
    anomalies: "zero",
  });

  const sum = (f: (a: (typeof agents)[number]) => number) => agents.reduce((s, a) => s + f(a), 0);
  const runs = sum((a) => a.runs);
  const failed = sum((a) => a.failedRuns);
  const cost = sum((a) => a.costUsd);
  const tokens = sum((a) => a.tokens);
  const spans = rollups.reduce((s, r) => s + r.spans, 0);
  const errorSpans = rollups.reduce((s, r) => s + r.errors, 0);
  // Traces without agent spans count as runs that did not fail (their errors show in the span error rate).
  const successful = Math.max(0, Math.max(traces, runs) - failed);
  return {
    range,
    bucketMs,
    latencyScope: latency.scope,
    totals: {
      traces,
      agentRuns: runs,
      failedRuns: failed,
      spans,
      errorSpans,
      runErrorRate: safeRatio(failed, runs),
      spanErrorRate: safeRatio(errorSpans, spans),
      p50Ms: latency.p50,
      p95Ms: latency.p95,
      tokens,
      costUsd: cost,
      tokensPerDollar: safeRatio(tokens, cost),
      costPerTrace: safeRatio(cost, traces),
      costPerSuccessfulTrace: safeRatio(cost, successful),
      anomalies: anomalies.total,
      openAlerts,
    },
    series,
    byAgent: agents.filter((a) => a.agent !== "(none)" || a.spans > 0).sort((a, b) => b.costUsd - a.costUsd),
    byModel: models,
    topAnomalous: anomalies.top,
  };
}
