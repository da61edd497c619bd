// One batch of one partition: read spans after the cursor, apply new feedback, score spans, find
// traces whose chain can be scored (root seen, quiet period over, no later span pending in our
// stream), score them, and commit everything with the cursor in one transaction.
import { applyFeedback, type FeedbackRow } from "./apply-feedback";
import { scoreSpanBatch } from "./score-spans";
import { scoreRunningLoops, scoreTraces, type TraceToScore } from "./score-traces";
import type { DetectionSettings } from "./settings";
import { takeDirtyRows, type PartitionState, type PendingTrace } from "./state";
import { writeBatch } from "./store-commit";
import type { SeqLimitCache } from "@/lib/ingest/seq-lock";
import { readSpanBatch, readTraceRows, readTraceSpans } from "./store-spans";
import { dbTime, sqlFor, withTransaction, type Sql } from "./store-sql";
import type { AnomalyDraft, SpanRecord } from "./types";
import type { RawDb } from "@/lib/db";

export interface ScorerOptions {
  partitions: number;
  batchSize: number;
  quietMs: number;
  /** Score a trace whose root never arrived after this long (wall time since first seen). */
  maxWaitMs: number;
  leaseMs: number;
}

export interface HeldPartition {
  name: string;
  buckets: number[] | null;
  position: number;
  state: PartitionState;
  /** Spans of pending traces first seen by this process (complete unless spans predate it). */
  cache: Map<string, SpanRecord[]>;
  /** PostgreSQL: up to which seq this partition may read (seq-lock.ts); null on SQLite. */
  seqLimit: SeqLimitCache | null;
}

export interface BatchOutcome {
  spans: number;
  traces: number;
  anomalies: AnomalyDraft[];
  anomalyIds: string[];
  from: number;
  to: number;
}

const FEEDBACK_OVERLAP_MS = 5_000;
const NO_SCORES: ReadonlyMap<number, number> = new Map();

export async function runPartitionBatch(
  raw: RawDb, owner: string, p: HeldPartition, opts: ScorerOptions, settingsFor: (projectId: string) => DetectionSettings,
  loadSettings: (projectIds: string[]) => Promise<void>, now: Date,
): Promise<BatchOutcome> {
  const read = sqlFor(raw);
  const nowMs = now.getTime();
  const upToSeq = p.seqLimit ? await p.seqLimit.next() : null;
  const spans = await readSpanBatch(read, p.buckets, p.position, opts.batchSize, upToSeq);
  p.seqLimit?.read(spans.length < opts.batchSize);
  const feedback = await readNewFeedback(read, p.state, now);
  await loadSettings([...new Set(spans.map((s) => s.projectId))]);
  for (const f of feedback) applyFeedback(p.state, f);

  const st = p.state;
  const result = scoreSpanBatch(st, spans, { settingsFor });
  const to = spans.length ? spans[spans.length - 1]!.seq : p.position;
  const touched = new Set<string>();
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    s.anomalyScore = result.scores[i]!;
    const key = `${s.projectId}|${s.traceId}`;
    touched.add(key);
    let entry: PendingTrace | undefined = st.meta.pending[key];
    if (!entry) {
      entry = st.meta.pending[key] = { projectId: s.projectId, traceId: s.traceId, lastSeq: 0, lastReceivedMs: 0, rootSeen: false, firstSeenMs: nowMs };
      p.cache.set(key, []);
    }
    entry.lastSeq = Math.max(entry.lastSeq, s.seq);
    entry.lastReceivedMs = Math.max(entry.lastReceivedMs, s.receivedMs);
    if (s.parentSpanId === null) entry.rootSeen = true;
    p.cache.get(key)?.push(s);
  }

  const ready = await findReadyTraces(read, p, spans, to, nowMs, opts);
  const chain = scoreTraces(st, ready, settingsFor, NO_SCORES);
  for (const t of ready) {
    delete st.meta.pending[`${t.projectId}|${t.traceId}`];
    p.cache.delete(`${t.projectId}|${t.traceId}`);
  }
  const running = scoreRunningLoops(st, stillRunning(p, touched), settingsFor);
  if (spans.length === 0 && ready.length === 0 && feedback.length === 0) {
    return { spans: 0, traces: 0, anomalies: [], anomalyIds: [], from: p.position, to };
  }
  const anomalies = [...result.anomalies, ...chain.anomalies, ...running];
  const { anomalyIds } = await withTransaction(raw, (sql) =>
    writeBatch(sql, { cursor: p.name, owner, from: p.position, to, leaseMs: opts.leaseMs, spans, scores: result.scores, anomalies, traces: chain.traces, state: takeDirtyRows(st), now }),
  );
  const from = p.position;
  p.position = to;
  return { spans: spans.length, traces: ready.length, anomalies, anomalyIds, from, to };
}

/** Traces that got spans in this batch and are not complete yet, with the spans seen so far. */
function stillRunning(p: HeldPartition, touched: ReadonlySet<string>): TraceToScore[] {
  const out: TraceToScore[] = [];
  for (const key of touched) {
    const entry = p.state.meta.pending[key];
    const spans = p.cache.get(key);
    if (entry && spans && spans.length >= 3) out.push({ projectId: entry.projectId, traceId: entry.traceId, spans, firstTime: false });
  }
  return out;
}

async function findReadyTraces(sql: Sql, p: HeldPartition, batch: readonly SpanRecord[], to: number, nowMs: number, opts: ScorerOptions): Promise<TraceToScore[]> {
  const byProject = new Map<string, PendingTrace[]>();
  for (const e of Object.values(p.state.meta.pending)) {
    // Traces whose root this worker has not seen may still have it (a late span of a scored trace):
    // the trace row tells below.
    if (nowMs - e.lastReceivedMs >= opts.quietMs || nowMs - e.firstSeenMs >= opts.maxWaitMs) {
      let list = byProject.get(e.projectId);
      if (!list) byProject.set(e.projectId, (list = []));
      list.push(e);
    }
  }
  const out: TraceToScore[] = [];
  for (const [projectId, entries] of byProject) {
    const rows = await readTraceRows(sql, projectId, entries.map((e) => e.traceId));
    const reload: string[] = [];
    const accepted: Array<{ e: PendingTrace; firstTime: boolean }> = [];
    for (const e of entries) {
      const row = rows.get(e.traceId);
      // More spans of this trace are committed after our cursor: wait for them.
      if (row && row.lastSeq > to) continue;
      const waitedEnough = nowMs - e.firstSeenMs >= opts.maxWaitMs;
      if (!waitedEnough && !(e.rootSeen || row?.rootSpanId)) continue;
      if (row && nowMs - row.lastReceivedMs < opts.quietMs && !waitedEnough) continue;
      const cached = p.cache.get(`${projectId}|${e.traceId}`);
      const complete = cached && row && cached.length === row.spanCount && !cached.some((s) => s.agent === null && s.parentSpanId !== null);
      if (!complete) reload.push(e.traceId);
      accepted.push({ e, firstTime: !row || row.scoredSeq === null });
    }
    const loaded = reload.length ? await readTraceSpans(sql, projectId, reload) : new Map<string, SpanRecord[]>();
    if (loaded.size) {
      // Spans of this batch are not committed yet: take their scores from the batch.
      const batchScores = new Map(batch.map((s) => [s.seq, s.anomalyScore]));
      for (const list of loaded.values()) for (const s of list) if (s.anomalyScore === null) s.anomalyScore = batchScores.get(s.seq) ?? null;
    }
    accepted.sort((a, b) => a.e.lastSeq - b.e.lastSeq);
    for (const { e, firstTime } of accepted) {
      const spans = loaded.get(e.traceId) ?? p.cache.get(`${projectId}|${e.traceId}`) ?? [];
      out.push({ projectId, traceId: e.traceId, spans, firstTime });
    }
  }
  return out;
}

async function readNewFeedback(sql: Sql, st: PartitionState, now: Date): Promise<FeedbackRow[]> {
  const since = new Date(Math.max(0, st.meta.feedbackMs - FEEDBACK_OVERLAP_MS));
  const rows = await sql.all<FeedbackRow & { at: unknown; details: unknown }>(
    `SELECT id, "projectId", detector, metric, entity, observed, details, "feedbackAt" AS at FROM anomalies WHERE feedback = 'expected' AND "feedbackAt" >= ? ORDER BY "feedbackAt" LIMIT 500`,
    `SELECT id, "projectId", detector, metric, entity, observed, details, (extract(epoch from "feedbackAt") * 1000)::float8 AS at FROM anomalies WHERE feedback = 'expected' AND "feedbackAt" >= $1::timestamp ORDER BY "feedbackAt" LIMIT 500`,
    [dbTime(sql, since)],
  );
  if (rows.length === 0) return [];
  const seen = new Set(st.meta.feedbackIds);
  const fresh: FeedbackRow[] = [];
  let maxMs = st.meta.feedbackMs;
  const recent: Array<{ id: string; ms: number }> = [];
  for (const r of rows) {
    const ms = typeof r.at === "number" ? r.at : Date.parse(String(r.at));
    maxMs = Math.max(maxMs, ms);
    recent.push({ id: r.id, ms });
    if (seen.has(r.id)) continue;
    const details = typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : (r.details as Record<string, unknown> | null);
    fresh.push({ ...r, details });
  }
  st.meta.feedbackMs = Math.min(maxMs, now.getTime());
  st.meta.feedbackIds = recent.filter((r) => r.ms >= st.meta.feedbackMs - FEEDBACK_OVERLAP_MS).map((r) => r.id);
  return fresh;
}
