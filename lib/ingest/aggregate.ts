// Per-batch aggregates of newly inserted spans: trace totals and per-minute rollups. Pure.
import { addLatency, type LatencyHistogram } from "../metrics/latency-histogram";
import type { SpanRow } from "./span-row";

/** Kinds whose usage counts toward a trace's tokens and cost; others are containers (agent, chain...). */
const USAGE_KINDS = new Set(["llm", "embedding"]);

export interface TraceDelta {
  projectId: string;
  traceId: string;
  rootSpanId: string | null;
  name: string;
  service: string;
  agent: string | null;
  sessionId: string | null;
  userId: string | null;
  startNs: bigint;
  endNs: bigint;
  spanCount: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  containerInputTokens: number;
  containerOutputTokens: number;
  containerCostUsd: number;
  lastSeq: bigint;
  lastReceivedMs: number;
}

export interface InsertedRow {
  row: SpanRow;
  seq: bigint;
}

export function aggregateTraces(inserted: InsertedRow[]): TraceDelta[] {
  const byTrace = new Map<string, TraceDelta & { earliest: bigint }>();
  for (const { row, seq } of inserted) {
    let t = byTrace.get(row.traceId);
    if (!t) {
      t = {
        projectId: row.projectId, traceId: row.traceId, rootSpanId: null, name: row.name, service: row.service, agent: null,
        sessionId: null, userId: null, startNs: row.startNs, endNs: row.endNs, spanCount: 0, errorCount: 0, inputTokens: 0,
        outputTokens: 0, costUsd: 0, containerInputTokens: 0, containerOutputTokens: 0, containerCostUsd: 0, lastSeq: seq,
        lastReceivedMs: row.receivedMs, earliest: row.startNs,
      };
      byTrace.set(row.traceId, t);
    }
    const isRoot = row.parentSpanId === null;
    if (isRoot && t.rootSpanId === null) {
      t.rootSpanId = row.spanId;
      t.name = row.name;
      t.service = row.service;
      if (row.agent) t.agent = row.agent;
    } else if (t.rootSpanId === null && row.startNs < t.earliest) {
      t.earliest = row.startNs;
      t.name = row.name;
      t.service = row.service;
    }
    t.agent ??= row.agent;
    t.sessionId ??= row.sessionId;
    t.userId ??= row.userId;
    if (row.startNs < t.startNs) t.startNs = row.startNs;
    if (row.endNs > t.endNs) t.endNs = row.endNs;
    t.spanCount += 1;
    if (row.statusCode === 2) t.errorCount += 1;
    if (USAGE_KINDS.has(row.kind)) {
      t.inputTokens += row.inputTokens ?? 0;
      t.outputTokens += row.outputTokens ?? 0;
      t.costUsd += row.costUsd ?? 0;
    } else {
      t.containerInputTokens += row.inputTokens ?? 0;
      t.containerOutputTokens += row.outputTokens ?? 0;
      t.containerCostUsd += row.costUsd ?? 0;
    }
    if (seq > t.lastSeq) t.lastSeq = seq;
  }
  return [...byTrace.values()].map(({ earliest: _earliest, ...t }) => ({
    ...t,
    inputTokens: cap(t.inputTokens),
    outputTokens: cap(t.outputTokens),
    containerInputTokens: cap(t.containerInputTokens),
    containerOutputTokens: cap(t.containerOutputTokens),
  }));
}

export interface RollupDelta {
  projectId: string;
  minuteMs: number;
  service: string;
  agent: string;
  model: string;
  kind: string;
  spanCount: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMsSum: number;
  latencyHist: LatencyHistogram;
}

export function rollupKey(r: Pick<RollupDelta, "minuteMs" | "service" | "agent" | "model" | "kind">): string {
  return JSON.stringify([r.minuteMs, r.service, r.agent, r.model, r.kind]);
}

export function aggregateRollups(inserted: InsertedRow[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const { row } of inserted) {
    const minuteMs = Number(row.startNs / 60_000_000_000n) * 60_000;
    const key = { minuteMs, service: row.service, agent: row.agent ?? "", model: row.model ?? "", kind: row.kind };
    const k = rollupKey(key);
    let r = byKey.get(k);
    if (!r) {
      r = { projectId: row.projectId, ...key, spanCount: 0, errorCount: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, durationMsSum: 0, latencyHist: {} };
      byKey.set(k, r);
    }
    r.spanCount += 1;
    if (row.statusCode === 2) r.errorCount += 1;
    r.inputTokens += row.inputTokens ?? 0;
    r.outputTokens += row.outputTokens ?? 0;
    r.costUsd += row.costUsd ?? 0;
    r.durationMsSum += row.durationMs;
    addLatency(r.latencyHist, row.durationMs);
  }
  return [...byKey.values()].map((r) => ({ ...r, inputTokens: cap(r.inputTokens), outputTokens: cap(r.outputTokens) }));
}

/** Integer columns are 32-bit; totals saturate rather than fail the write. */
const cap = (n: number) => Math.min(n, 2_147_483_647);
