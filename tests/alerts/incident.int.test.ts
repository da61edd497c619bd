// One incident per problem through the real path: generated traffic → OTLP decode → ingestion → scorer
// (anomalies, alert recording, outbox in one transaction) → notifier → a webhook receiver on 127.0.0.1.
// On SQLite and PostgreSQL.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeAlertStatus } from "@/lib/alerts/alert-actions";
import { ensureProject } from "@/lib/auth/api-keys";
import { Scorer } from "@/lib/detect/scorer";
import { generateWorkload, type GenSpan, type GenTrace } from "@/bench/generator/generate-workload";
import { ingestAll, ingestTraces } from "@/bench/generator/ingest-workload";
import type { WebhookBody } from "@/lib/notify/webhook-body";
import { runNotifierOnce } from "@/workers/notifier";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "@/tests/helpers/db";
import { seedChannel, silentLog, testEnv } from "./fixtures";
import { startReceiver, type Receiver } from "./receiver";
import { waitFor } from "./wait-for";

// A trace is complete once nothing came for quietMs after its root; the tests pass the scorer's clock.
const OPTS = { partitions: 1, batchSize: 2000, quietMs: 2000, maxWaitMs: 60_000, leaseMs: 60_000 };
const SETTINGS = { detection: { falseAlertsPer10k: 100, chainMinHistory: 60, minHistory: 30 } };
const AGENT = "support-agent";

/** One agent's normal traffic (labelled traces left out) and normal runs after it to turn into incidents. */
function traffic() {
  const w = generateWorkload({ seed: 11, traces: 2000, startMs: Date.UTC(2026, 10, 20), durationMs: 6 * 3_600_000, warmupFraction: 0.8, anomalyRate: 0.03, incidentsPerClass: 0, incidentMs: 60_000 });
  const mine = w.traces.filter((t) => t.agent.name === AGENT);
  const later = mine.filter((t) => t.startMs > w.warmupEndMs);
  return { normal: mine.filter((t) => t.label === null && t.endMs < w.warmupEndMs), later: later.filter((t) => t.label === null), blowup: later.find((t) => t.label === "token_blowup")! };
}

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);

/**
 * A normal run turned into an agent stuck in a loop: after its first model call, the same model call
 * and the same tool call with the same arguments `repeats` times (how a looping agent looks).
 */
function looping(template: GenTrace, repeats: number, seed: number): GenTrace {
  const traceId = hex(`trace ${seed}`, 32);
  const llm = template.spans.find((s) => s.kind === "llm")!;
  const tool = template.spans.find((s) => s.kind === "tool")!;
  const rootId = hex(`${traceId} root`, 16);
  const spans: GenSpan[] = [];
  let t = template.startMs + 5;
  for (let i = 0; i <= repeats; i++) {
    const llmMs = llm.endMs - llm.startMs;
    spans.push({ ...llm, traceId, spanId: hex(`${traceId} llm ${i}`, 16), parentSpanId: rootId, startMs: t, endMs: t + llmMs });
    t += llmMs + 3;
    if (i === repeats) break;
    const toolMs = tool.endMs - tool.startMs;
    spans.push({ ...tool, traceId, spanId: hex(`${traceId} tool ${i}`, 16), parentSpanId: rootId, startMs: t, endMs: t + toolMs, error: false });
    t += toolMs + 3;
  }
  spans.push({ traceId, spanId: rootId, parentSpanId: null, kind: "agent", name: `invoke_agent ${AGENT}`, startMs: template.startMs, endMs: t + 2, error: false });
  return { ...template, traceId, spans, endMs: t + 2, label: "loop" };
}

/**
 * Ticks until the scorer has read every stored span and has nothing left to do. On PostgreSQL a tick may
 * read only up to a committed-seq limit learnt a moment ago (seq-lock.ts), so "nothing processed" alone
 * does not mean caught up.
 */
async function drain(t: TestDatabase, scorer: Scorer, now = () => new Date()): Promise<void> {
  const maxSeq = (await t.db.span.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
  for (let i = 0; i < 2000; i++) {
    const processed = (await scorer.tick(now())).processed;
    const cursor = await t.db.workerCursor.findFirst({ where: { name: { startsWith: "scorer:" } }, select: { position: true } });
    if (processed === 0 && BigInt(cursor?.position ?? 0) >= BigInt(maxSeq)) return;
    if (processed === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("scorer never went idle");
}

describe.each(PROVIDERS)("one incident per problem on %s", (provider) => {
  const { normal, later, blowup } = traffic();
  let t: TestDatabase;
  let projectId: string;
  let receiver: Receiver;
  let scorer: Scorer;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    projectId = (await ensureProject(t.db, "p")).id;
    await t.db.project.update({ where: { id: projectId }, data: { settings: SETTINGS } });
    await ingestAll({ raw: t.raw, projectId }, normal, 100, Date.now() - 600_000);
    scorer = new Scorer(t.db, t.raw, "w1", OPTS);
    await drain(t, scorer);
    receiver = await startReceiver();
    // The channel comes after the warm-up: it hears only about what follows.
    await seedChannel(t.db, projectId, { url: `${receiver.url}/hook`, secret: "s", minSeverity: "info", name: "hook" });
  }, 180_000);
  afterAll(async () => {
    await scorer?.stop();
    await receiver?.close();
    await t?.cleanup();
  });

  const anomaliesOf = (traceId: string) => t.db.anomaly.findMany({ where: { projectId, traceId }, orderBy: { createdAt: "asc" } });

  async function deliver(alertId: string): Promise<WebhookBody[]> {
    await waitFor(async () => {
      await runNotifierOnce({ db: t.db, env: testEnv(t.databaseUrl), log: silentLog });
      return (await t.db.alertDelivery.count({ where: { alertId, status: { in: ["pending", "sending"] } } })) === 0;
    }, { what: `deliveries of alert ${alertId}` });
    return receiver.requests.map((r) => JSON.parse(r.body) as WebhookBody).filter((b) => b.alert?.id === alertId);
  }

  const kindsOf = (list: Array<{ detector: string; metric: string | null; entity: string }>) => [...new Set(list.map((a) => `${a.detector}|${a.metric}|${a.entity}`))].sort();

  it("a looping run found over two scorer batches stays one alert with one notification", async () => {
    const loop = looping(later[0]!, 10, 1);
    // While it runs: the agent span and all but its last two calls arrive (its agent is known, it is not quiet yet).
    const children = loop.spans.filter((s) => s.parentSpanId !== null).sort((a, b) => a.startMs - b.startMs);
    const late = new Set(children.slice(-2));
    const t0 = Date.now();
    await ingestTraces({ raw: t.raw, projectId }, [{ ...loop, spans: loop.spans.filter((s) => !late.has(s)) }], t0);
    await drain(t, scorer, () => new Date(t0 + 100));
    const whileRunning = await anomaliesOf(loop.traceId);
    // Then its last calls: the trace completes and its run-level signals come in later batches.
    await ingestTraces({ raw: t.raw, projectId }, [{ ...loop, spans: [...late] }], t0 + 200);
    await drain(t, scorer, () => new Date(t0 + 10_000));

    expect(whileRunning.map((a) => a.detector)).toEqual(["loop"]);
    const anomalies = await anomaliesOf(loop.traceId);
    expect(kindsOf(anomalies).length).toBeGreaterThan(1);
    const alertIds = [...new Set(anomalies.map((a) => a.alertId))];
    expect(alertIds).toEqual([whileRunning[0]!.alertId]);
    const alert = await t.db.alert.findUniqueOrThrow({ where: { id: alertIds[0]! } });
    expect(alert.headlineAnomalyId).toBe(whileRunning[0]!.id);
    // Told once, while it looped; what the completed run showed is on the alert, not in a second message.
    expect((await t.db.alertDelivery.findMany({ where: { alertId: alert.id } })).map((d) => d.reason)).toEqual(["opened"]);
    expect(await deliver(alert.id)).toHaveLength(1);
    await changeAlertStatus(t.db, projectId, alert.id, "resolve", new Date());
  }, 120_000);

  it("a looping run scored at once is one alert headed by the loop: one delivery listing the related signals", async () => {
    // (Two such runs would share it by the loop's fingerprint, but once the models learned one loop the
    // next is no surprise to the loop detector: incidents.test.ts covers that grouping.)
    const runs = [looping(later[1]!, 12, 2)];
    await ingestAll({ raw: t.raw, projectId }, runs, 100, Date.now() - 60_000);
    await drain(t, scorer);

    const anomalies = (await Promise.all(runs.map((r) => anomaliesOf(r.traceId)))).flat();
    for (const r of runs) expect(anomalies.filter((a) => a.traceId === r.traceId && a.detector === "loop")).toHaveLength(1);
    expect(new Set(anomalies.map((a) => a.detector)).size).toBeGreaterThanOrEqual(3);
    const alertIds = [...new Set(anomalies.map((a) => a.alertId))];
    expect(alertIds).toHaveLength(1);
    const alert = await t.db.alert.findUniqueOrThrow({ where: { id: alertIds[0]! } });
    const headline = anomalies.find((a) => a.id === alert.headlineAnomalyId)!;
    expect(headline.detector).toBe("loop");
    expect(alert).toMatchObject({ title: `Loop anomaly on ${headline.entity}`, count: anomalies.length });
    // The behaviour time is the run's (weeks before this test's clock), not when it was detected.
    const run = runs.find((r) => r.traceId === headline.traceId)!;
    expect(headline.occurredAt.getTime()).toBeGreaterThanOrEqual(Math.floor(run.startMs));
    expect(headline.occurredEndAt!.getTime()).toBeLessThanOrEqual(Math.ceil(run.endMs));
    expect(headline.occurredAt < headline.occurredEndAt!).toBe(true);
    expect(headline.createdAt.getTime() - headline.occurredAt.getTime()).toBeGreaterThan(86_400_000);

    expect((await t.db.alertDelivery.findMany({ where: { alertId: alert.id } })).map((d) => d.reason)).toEqual(["opened"]);
    const bodies = await deliver(alert.id);
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body.anomaly).toMatchObject({ id: headline.id, detector: "loop", agent: AGENT, traceId: headline.traceId, model: null });
    // A repeated call names the step that loops.
    if (headline.metric === "repeated_call") expect(run.spans.filter((s) => s.tool === body.anomaly!.step).length).toBeGreaterThanOrEqual(3);
    const related = kindsOf(anomalies.filter((a) => `${a.detector}|${a.metric}` !== `${headline.detector}|${headline.metric}`));
    expect(related.length).toBeGreaterThanOrEqual(2);
    expect(kindsOf(body.relatedSignals)).toEqual(related);
    expect(body.relatedSignals.every((s) => runs.some((r) => s.traceUrl === `http://argus.test/traces/${r.traceId}`))).toBe(true);
    await changeAlertStatus(t.db, projectId, alert.id, "resolve", new Date());
  }, 120_000);

  it("a model call's anomaly reaches the webhook with its agent, step and model", async () => {
    await ingestTraces({ raw: t.raw, projectId }, [blowup], Date.now() - 60_000);
    await drain(t, scorer);
    const anomalies = await anomaliesOf(blowup.traceId);
    const alertIds = [...new Set(anomalies.map((a) => a.alertId))];
    expect(alertIds).toHaveLength(1);
    const bodies = await deliver(alertIds[0]!);
    expect(bodies).toHaveLength(1);
    const anomaly = bodies[0]!.anomaly!;
    const span = await t.db.span.findFirstOrThrow({ where: { projectId, traceId: blowup.traceId, spanId: anomaly.spanId! } });
    expect(span.kind).toBe("llm");
    expect(anomaly).toMatchObject({ agent: AGENT, step: span.step, model: span.model });
    expect(anomaly.model).toMatch(/^gpt-4o/);
    expect(anomaly.occurredAt).toBe(span.startNs ? new Date(Number(BigInt(span.startNs) / 1_000_000n)).toISOString() : null);
  }, 120_000);
});
