// Agents read model: steps per agent, a step's distributions against detector baselines, transition tables.
import type { Db, RawDb } from "../db";
import { countTransitions, buildDecisionChain } from "../charts/decision-chain";
import { binValues, quantile } from "../charts/histogram";
import { executorFor } from "../db/executor";
import { verbatim, sql } from "../db/sql";
import { toNumber } from "../db/sql-values";
import { startMinuteOf } from "../ingest/span-row";
import { msToNs, nsToMs, type TimeRange } from "./time-range";
import { resolveSettings } from "../detect/settings";
import { STEP_METRICS, baselineLines, typicalAlertBits, type StepMetric } from "./baseline-thresholds";

/** One step of an agent in GET /api/v1/agents. */
export interface AgentStepSummary {
  step: string;
  kind: string;
  spans: number;
  errors: number;
  avgMs: number;
  costUsd: number;
  tokens: number;
  anomalous: number;
}

export async function listAgentSteps(raw: RawDb, projectId: string, range: TimeRange) {
  const [fromNs, toNs] = [msToNs(range.fromMs), msToNs(range.toMs)];
  const rows = await executorFor(raw).all(sql`SELECT COALESCE("agent", '') AS agent, "step", "kind", COUNT(*) AS n, SUM(CASE WHEN "statusCode" = 2 THEN 1 ELSE 0 END) AS errors,
      AVG("durationMs") AS "avgMs", SUM(COALESCE("costUsd", 0)) AS cost, SUM(COALESCE("inputTokens", 0) + COALESCE("outputTokens", 0)) AS tokens,
      SUM(CASE WHEN (SELECT c.score FROM span_scores c WHERE c.seq = spans.seq) >= 0.5 THEN 1 ELSE 0 END) AS anomalous
    FROM spans WHERE "projectId" = ${projectId}
      AND "startMinute" BETWEEN ${startMinuteOf(fromNs)} AND ${startMinuteOf(toNs)}
      AND "startNs" >= ${fromNs} AND "startNs" < ${toNs}
    GROUP BY COALESCE("agent", ''), "step", "kind" ORDER BY COALESCE("agent", ''), COUNT(*) DESC`);
  const agents = new Map<string, { agent: string; spans: number; errors: number; costUsd: number; steps: AgentStepSummary[] }>();
  for (const r of rows) {
    const name = String(r.agent || "(none)");
    let a = agents.get(name);
    if (!a) agents.set(name, (a = { agent: name, spans: 0, errors: 0, costUsd: 0, steps: [] }));
    const n = toNumber(r.n);
    a.spans += n;
    a.errors += toNumber(r.errors);
    a.costUsd += toNumber(r.cost);
    a.steps.push({ step: String(r.step), kind: String(r.kind), spans: n, errors: toNumber(r.errors), avgMs: toNumber(r.avgMs), costUsd: toNumber(r.cost), tokens: toNumber(r.tokens), anomalous: toNumber(r.anomalous) });
  }
  return { range, agents: [...agents.values()] };
}


/** Recent values of one metric for an agent step, binned, with quantiles and the detector's stored baselines. */
export async function describeStep(db: Db, raw: RawDb, projectId: string, agent: string, step: string, metric: StepMetric, sample = 2000) {
  const agentCond = agent === "(none)" ? sql`"agent" IS NULL` : sql`"agent" = ${agent}`;
  const rows = await executorFor(raw).all<{ v: unknown }>(sql`SELECT ${verbatim(STEP_METRICS[metric].column)} AS v FROM spans
    WHERE "projectId" = ${projectId} AND ${agentCond} AND "step" = ${step} ORDER BY "startNs" DESC LIMIT ${sample}`);
  const values = rows.map((r) => toNumber(r.v)).filter(Number.isFinite);
  const sorted = [...values].sort((a, b) => a - b);
  const agentPart = agent === "(none)" ? "-" : agent;
  const [states, project] = await Promise.all([
    db.detectorState.findMany({ where: { projectId, detector: "span", entity: { contains: `/${agentPart}/${step}/` } }, select: { entity: true, state: true }, take: 20 }),
    db.project.findUnique({ where: { id: projectId }, select: { settings: true } }),
  ]);
  const alertBits = Math.round(typicalAlertBits(resolveSettings(project?.settings)) * 10) / 10;
  const baselines = states
    .filter((s) => s.entity.split("/")[1] === agentPart && s.entity.split("/")[2] === step)
    .map((s) => ({ entity: s.entity, lines: baselineLines(typeof s.state === "string" ? JSON.parse(s.state) : s.state, metric, alertBits) }))
    .filter((b) => b.lines !== null);
  return {
    agent,
    step,
    metric,
    count: values.length,
    bins: binValues(values, 30),
    quantiles: { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) },
    alertBits,
    baselines,
  };
}

/** Transition table of an agent's decision chains over its most recent traces. */
export async function agentTransitions(raw: RawDb, projectId: string, agent: string, traceLimit = 300) {
  const agentCond = agent === "(none)" ? sql`"agent" IS NULL` : sql`"agent" = ${agent}`;
  const rows = await executorFor(raw).all(sql`SELECT "traceId", "spanId", "name", "step", "kind", "startNs", "argsHash" FROM spans
    WHERE "projectId" = ${projectId} AND "traceId" IN (
      SELECT "traceId" FROM traces WHERE "projectId" = ${projectId} AND ${agentCond} ORDER BY "startNs" DESC LIMIT ${traceLimit})`);
  const byTrace = new Map<string, Parameters<typeof buildDecisionChain>[0][number][]>();
  for (const r of rows) {
    const list = byTrace.get(String(r.traceId)) ?? [];
    list.push({ spanId: String(r.spanId), name: String(r.name), step: r.step as string, kind: String(r.kind), startMs: nsToMs(r.startNs as string), argsHash: r.argsHash as string | null });
    byTrace.set(String(r.traceId), list);
  }
  const chains = [...byTrace.values()].map((spans) => buildDecisionChain(spans).map((s) => s.step));
  return { agent, traces: chains.length, transitions: countTransitions(chains) };
}
