// One batch of one partition: read spans after the cursor, apply new feedback, score each span whose
// agent is known (holding back those whose agent span has not arrived), find traces whose chain can
// be scored (complete: root seen and quiet; partial: still running at max wait; rootless: quiet for
// max wait, or as long as spans wait for their agent where the service's traces usually bring their
// root: root-wait.ts), score them, close the rate windows of silent keys, and commit everything with the cursor
// in one transaction.
import { applyFeedback, type FeedbackRow } from "./apply-feedback";
import type { DetectionSettings } from "./settings";
import { observeSpanRates } from "./score-rates";
import { learnTraceSize, scoreSpan } from "./score-spans";
import { scoreRunningLoops, scoreTraces, type TraceToScore } from "./score-traces";
import { learnLateRoot, learnRootShare, rootlessQuietMs } from "./root-wait";
import { resolvedAgent, usualAgentOf } from "./span-agents";
import { modelFamily } from "@/lib/ingest/model-name";
import { takeDirtyRows, type PartitionState, type PendingTrace } from "./state";
import { writeBatch } from "./store-commit";
import type { SeqLimitCache } from "@/lib/ingest/seq-lock";
import { readFeedbackSince, readSpanBatch, readTraceRows, readTraceSpans } from "./store-spans";
import { executorFor, inTransaction, type Executor } from "@/lib/db/executor";
import type { AnomalyDraft, SpanRecord } from "./types";
import type { RawDb } from "@/lib/db";

export interface ScorerOptions {
  partitions: number;
  batchSize: number;
  quietMs: number;
  /** Score a trace still running (or whose root never arrives) after this long (wall time since first seen). */
  maxWaitMs: number;
  leaseMs: number;
}

export interface HeldPartition {
  name: string;
  buckets: number[] | null;
  position: number;
  state: PartitionState;
  /** Spans of pending traces read by this process (complete unless spans predate it: see `read`). */
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
/** A span waits at most this many max-waits for its agent span; then it is scored with what is known. */
const HOLD_LIMIT_WAITS = 10;

interface BatchContext {
  p: HeldPartition;
  settingsFor: (projectId: string) => DetectionSettings;
  anomalies: AnomalyDraft[];
  /** Spans scored in this batch (new ones and released held ones), whose scores the commit writes. */
  scored: SpanRecord[];
  /** usualAgentOf answers of this batch, by "<projectId>|<service>/<step>/<family>". */
  usualAgents: Map<string, string | null>;
}

export async function runPartitionBatch(
  raw: RawDb, owner: string, p: HeldPartition, opts: ScorerOptions, settingsFor: (projectId: string) => DetectionSettings,
  loadSettings: (projectIds: string[]) => Promise<void>, now: Date,
): Promise<BatchOutcome> {
  const read = executorFor(raw);
  const nowMs = now.getTime();
  const upToSeq = p.seqLimit ? await p.seqLimit.next() : null;
  const spans = await readSpanBatch(read, p.buckets, p.position, opts.batchSize, upToSeq);
  p.seqLimit?.read(spans.length < opts.batchSize);
  const feedback = await readNewFeedback(read, p.state, now);
  await loadSettings([...new Set(spans.map((s) => s.projectId))]);
  for (const f of feedback) applyFeedback(p.state, f);
  await reloadHeldTraces(read, p, spans);

  const st = p.state;
  const ctx: BatchContext = { p, settingsFor, anomalies: [], scored: [], usualAgents: new Map() };
  const to = spans.length ? spans[spans.length - 1]!.seq : p.position;
  const touched = new Set<string>();
  // The whole batch is noted first, so that a span's agent resolves through spans later in the batch
  // (an agent span exported with its last children) and held spans are released in arrival order.
  const noted = spans.map((s) => {
    const key = `${s.projectId}|${s.traceId}`;
    touched.add(key);
    return { s, key, entry: notePendingSpan(p, key, s, nowMs) };
  });
  for (const { s, key, entry } of noted) {
    // Most spans carry their agent already (resolved at ingestion): no need to walk the trace.
    const agent = s.agent !== null ? s.agent : resolvedAgent(s, indexOf(p.cache.get(key)!));
    if (agent === undefined) {
      (entry.held ??= []).push(s.seq);
      continue;
    }
    s.agent = agent;
    // Held spans arrived earlier: scored first, so that "the first call of a step in this trace" (what the
    // change detectors watch, and the k of the input-growth regressor) does not depend on export timing.
    if (entry.held?.length) releaseHeld(ctx, entry, false);
    score(ctx, s, entry);
  }

  const ready = await findReadyTraces(read, p, to, nowMs, opts);
  for (const t of ready) {
    const entry = st.meta.pending[`${t.projectId}|${t.traceId}`];
    // A partial trace (waited out, still running) keeps holding spans whose agent span has not arrived.
    if (entry?.held?.length) releaseHeld(ctx, entry, t.complete);
  }
  for (const entry of Object.values(st.meta.pending)) {
    if (entry.held?.length && nowMs - entry.firstSeenMs >= HOLD_LIMIT_WAITS * opts.maxWaitMs) releaseHeld(ctx, entry, true);
  }
  const chain = scoreTraces(st, ready, settingsFor);
  for (const t of ready) {
    const key = `${t.projectId}|${t.traceId}`;
    const entry = st.meta.pending[key];
    if (!t.complete) {
      if (entry) entry.partial = true;
      continue;
    }
    // Rootless traces (a remote parent) are learned here; others when their root was scored (in span order).
    if (entry && t.learn && !entry.sized) learnTraceSize(st, entry);
    delete st.meta.pending[key];
    p.cache.delete(key);
  }
  const running = scoreRunningLoops(st, stillRunning(p, touched, ready), settingsFor);
  if (spans.length === 0 && ready.length === 0 && feedback.length === 0 && ctx.scored.length === 0) {
    return { spans: 0, traces: 0, anomalies: [], anomalyIds: [], from: p.position, to };
  }
  const anomalies = [...ctx.anomalies, ...chain.anomalies, ...running];
  const scores = Float64Array.from(ctx.scored, (s) => s.anomalyScore ?? 0);
  const { anomalyIds } = await inTransaction(raw, (sql) =>
    writeBatch(sql, { cursor: p.name, owner, from: p.position, to, leaseMs: opts.leaseMs, spans: ctx.scored, scores, anomalies, traces: chain.traces, state: takeDirtyRows(st), now }),
  );
  const from = p.position;
  p.position = to;
  return { spans: spans.length, traces: ready.length, anomalies, anomalyIds, from, to };
}

function score(ctx: BatchContext, s: SpanRecord, entry: PendingTrace): void {
  const settings = ctx.settingsFor(s.projectId);
  s.anomalyScore = scoreSpan(ctx.p.state, s, entry, settings, ctx.anomalies);
  observeSpanRates(ctx.p.state, s, settings, ctx.anomalies);
  ctx.scored.push(s);
  // A trace's size is learned when its root is scored: in span order, so thresholds do not depend on
  // when batches happen to complete traces.
  if (s.parentSpanId === null && !entry.sized) {
    learnTraceSize(ctx.p.state, entry);
    entry.sized = true;
  }
}

/** Registers a span with its pending trace (created on first sight) and the trace's span cache. */
function notePendingSpan(p: HeldPartition, key: string, s: SpanRecord, nowMs: number): PendingTrace {
  let entry = p.state.meta.pending[key];
  if (!entry) {
    entry = p.state.meta.pending[key] = { projectId: s.projectId, traceId: s.traceId, lastSeq: 0, lastReceivedMs: 0, rootSeen: false, firstSeenMs: nowMs, tests: 0, observations: 0, spans: 0 };
    p.cache.set(key, []);
  }
  entry.service ??= s.service;
  entry.lastSeq = Math.max(entry.lastSeq, s.seq);
  entry.lastReceivedMs = Math.max(entry.lastReceivedMs, s.receivedMs);
  if (s.parentSpanId === null) entry.rootSeen = true;
  let cached = p.cache.get(key);
  if (!cached) p.cache.set(key, (cached = []));
  cached.push(s);
  return entry;
}

const indexes = new WeakMap<SpanRecord[], { size: number; byId: Map<string, SpanRecord> }>();
/** The trace's cached spans by span id (kept in step with the cache as it grows). */
function indexOf(cached: SpanRecord[]): Map<string, SpanRecord> {
  let idx = indexes.get(cached);
  if (!idx) indexes.set(cached, (idx = { size: 0, byId: new Map() }));
  for (; idx.size < cached.length; idx.size++) idx.byId.set(cached[idx.size]!.spanId, cached[idx.size]!);
  return idx.byId;
}

/**
 * Scores the held spans of a trace whose agent is now known; `final` scores every one of them with
 * what is known (the nearest ancestor seen, else the one agent its step is learned under, else no agent):
 * the trace is complete, or waited too long.
 */
function releaseHeld(ctx: BatchContext, entry: PendingTrace, final: boolean): void {
  const key = `${entry.projectId}|${entry.traceId}`;
  const cached = ctx.p.cache.get(key) ?? [];
  const byId = indexOf(cached);
  const bySeq = new Map(cached.map((s) => [s.seq, s]));
  const still: number[] = [];
  for (const seq of entry.held ?? []) {
    const s = bySeq.get(seq);
    if (!s) continue;
    const agent = resolvedAgent(s, byId);
    if (agent === undefined && !final) {
      still.push(seq);
      continue;
    }
    s.agent = agent !== undefined ? agent : (nearestKnownAgent(s, byId) ?? usualAgent(ctx, s));
    score(ctx, s, entry);
  }
  entry.held = still.length ? still : undefined;
}

/** The agent the span's step is always learned under, when no ancestor tells (the agent span came too late). */
function usualAgent(ctx: BatchContext, s: SpanRecord): string | null {
  const family = s.model === null ? "-" : modelFamily(s.model);
  const key = `${s.projectId}|${s.service}/${s.step}/${family}`;
  let agent = ctx.usualAgents.get(key);
  if (agent === undefined) {
    agent = usualAgentOf({ service: s.service, step: s.step, family }, learnedEntities(ctx.p.state, s.projectId));
    ctx.usualAgents.set(key, agent);
  }
  return agent;
}

function* learnedEntities(st: PartitionState, projectId: string): Generator<[string, number]> {
  const prefix = `${projectId}|`;
  for (const [key, ks] of st.spans) if (key.startsWith(prefix)) yield [key.slice(prefix.length), ks.latency.n];
}

function nearestKnownAgent(span: SpanRecord, byId: ReadonlyMap<string, SpanRecord>): string | null {
  let cur: SpanRecord | undefined = span;
  for (let hops = 0; cur && hops < 1000; hops++) {
    if (cur.agent !== null) return cur.agent;
    cur = cur.parentSpanId ? byId.get(cur.parentSpanId) : undefined;
  }
  return null;
}

/**
 * After a restart (or a lost lease) the cache is empty: pending traces of this batch get their earlier
 * spans back, so that agents resolve through them and held spans can be scored.
 */
async function reloadHeldTraces(sql: Executor, p: HeldPartition, batch: readonly SpanRecord[]): Promise<void> {
  const byProject = new Map<string, Set<string>>();
  for (const s of batch) {
    const key = `${s.projectId}|${s.traceId}`;
    const entry = p.state.meta.pending[key];
    if (!entry) continue;
    const cache = p.cache.get(key);
    if (cache && (!entry.held || entry.held.every((seq) => cache.some((x) => x.seq === seq)))) continue;
    let ids = byProject.get(s.projectId);
    if (!ids) byProject.set(s.projectId, (ids = new Set()));
    ids.add(s.traceId);
  }
  for (const [projectId, ids] of byProject) {
    const loaded = await readTraceSpans(sql, projectId, [...ids]);
    for (const [traceId, list] of loaded) p.cache.set(`${projectId}|${traceId}`, list.filter((s) => s.seq <= p.position));
  }
}

/** Traces that got spans in this batch, are not being scored now, with the spans seen so far. */
function stillRunning(p: HeldPartition, touched: ReadonlySet<string>, ready: readonly TraceToScore[]): TraceToScore[] {
  const scored = new Set(ready.map((t) => `${t.projectId}|${t.traceId}`));
  const out: TraceToScore[] = [];
  for (const key of touched) {
    const entry = p.state.meta.pending[key];
    const spans = p.cache.get(key);
    if (entry && spans && spans.length >= 3 && !scored.has(key)) out.push({ projectId: entry.projectId, traceId: entry.traceId, spans: spans.filter((s) => !entry.held?.includes(s.seq)), learn: false, complete: false });
  }
  return out;
}

async function findReadyTraces(sql: Executor, p: HeldPartition, to: number, nowMs: number, opts: ScorerOptions): Promise<TraceToScore[]> {
  const byProject = new Map<string, PendingTrace[]>();
  for (const e of Object.values(p.state.meta.pending)) {
    const quiet = nowMs - e.lastReceivedMs >= opts.quietMs;
    const overdue = !e.partial && nowMs - e.firstSeenMs >= opts.maxWaitMs;
    if (quiet || overdue) {
      let list = byProject.get(e.projectId);
      if (!list) byProject.set(e.projectId, (list = []));
      list.push(e);
    }
  }
  const out: TraceToScore[] = [];
  for (const [projectId, entries] of byProject) {
    const rows = await readTraceRows(sql, projectId, entries.map((e) => e.traceId));
    const reload: string[] = [];
    const accepted: Array<{ e: PendingTrace; learn: boolean; complete: boolean }> = [];
    for (const e of entries) {
      const row = rows.get(e.traceId);
      // More spans of this trace are committed after our cursor: wait for them.
      if (row && row.lastSeq > to) continue;
      const silentMs = nowMs - Math.max(e.lastReceivedMs, row?.lastReceivedMs ?? 0);
      const rooted = e.rootSeen || row?.rootSpanId !== null && row?.rootSpanId !== undefined;
      const rootShareKey = `${projectId}|${e.service ?? ""}`;
      // Complete: its root arrived and nothing came for the quiet period; or it has no root here and
      // nothing came for as long as a missing root is awaited in its service.
      const rootlessMs = rootlessQuietMs(p.state.meta.roots[rootShareKey], opts.maxWaitMs, HOLD_LIMIT_WAITS * opts.maxWaitMs);
      const complete = silentMs >= opts.quietMs && (rooted || silentMs >= rootlessMs);
      const partial = !complete && !e.partial && nowMs - e.firstSeenMs >= opts.maxWaitMs;
      if (!complete && !partial) continue;
      const cached = p.cache.get(`${projectId}|${e.traceId}`);
      const whole = cached && row && cached.length === row.spanCount;
      if (!whole) reload.push(e.traceId);
      // Learned the first time the trace is scored complete (a late span's re-score does not count it twice).
      const learn = complete && (e.partial === true || !row || row.scoredSeq === null);
      if (learn) learnRootShare(p.state.meta.roots, rootShareKey, rooted);
      else if (complete && e.rootSeen && row && row.scoredSeq !== null) learnLateRoot(p.state.meta.roots, rootShareKey);
      accepted.push({ e, learn, complete });
    }
    const loaded = reload.length ? await readTraceSpans(sql, projectId, reload) : new Map<string, SpanRecord[]>();
    accepted.sort((a, b) => a.e.lastSeq - b.e.lastSeq);
    for (const { e, learn, complete } of accepted) {
      const key = `${projectId}|${e.traceId}`;
      const fresh = loaded.get(e.traceId);
      if (fresh) {
        // Spans of this batch carry their new scores and resolved agents in the cache: keep those objects.
        const mine = new Map((p.cache.get(key) ?? []).map((s) => [s.seq, s]));
        p.cache.set(key, fresh.filter((s) => s.seq <= to).map((s) => mine.get(s.seq) ?? s));
      }
      out.push({ projectId, traceId: e.traceId, spans: (p.cache.get(key) ?? []).filter((s) => !e.held?.includes(s.seq) || complete), learn, complete });
    }
  }
  return out;
}

async function readNewFeedback(sql: Executor, st: PartitionState, now: Date): Promise<FeedbackRow[]> {
  const since = new Date(Math.max(0, st.meta.feedbackMs - FEEDBACK_OVERLAP_MS));
  const rows = await readFeedbackSince(sql, since, 500);
  if (rows.length === 0) return [];
  const seen = new Set(st.meta.feedbackIds);
  const fresh: FeedbackRow[] = [];
  let maxMs = st.meta.feedbackMs;
  const recent: Array<{ id: string; ms: number }> = [];
  for (const r of rows) {
    const ms = r.atMs;
    maxMs = Math.max(maxMs, ms);
    recent.push({ id: r.id, ms });
    if (seen.has(r.id)) continue;
    fresh.push(r);
  }
  st.meta.feedbackMs = Math.min(maxMs, now.getTime());
  st.meta.feedbackIds = recent.filter((r) => r.ms >= st.meta.feedbackMs - FEEDBACK_OVERLAP_MS).map((r) => r.id);
  return fresh;
}
