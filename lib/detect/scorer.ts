// The scorer: holds a fair share of the partitions (leases on WorkerCursor rows), runs one batch per
// held partition per tick, then records alerts for the anomalies it committed. The share is sized by
// how many scorer processes are alive by their heartbeats (worker_heartbeats, written by workers/runtime.ts).
import type { Db, RawDb } from "@/lib/db";
import { countLiveWorkers } from "@/lib/health";
import { log } from "@/lib/log";
import { committedSeqLimit, SeqLimitCache, SharedSeqLimit } from "@/lib/ingest/seq-lock";
import { runPartitionBatch, type BatchOutcome, type HeldPartition, type ScorerOptions } from "./partition-batch";
import { ALERT_BATCH, recordPendingAlerts } from "./record-alerts";
import { DEFAULT_SETTINGS, resolveSettings, type DetectionSettings } from "./settings";
import { restoreState } from "./state";
import { LeaseLostError } from "./store-commit";
import { claimLease, ensureCursors, partitionBuckets, partitionName, releaseLease } from "./store-lease";
import { readStateRows } from "./store-spans";
import { executorFor } from "@/lib/db/executor";

/** The worker name scorer processes heartbeat under (workers/scorer.ts); live ones share the partitions. */
export const SCORER_WORKER = "scorer";
const SETTINGS_TTL_MS = 30_000;
const ALERT_SWEEP_MS = 5_000;
/** While working through a backlog, new anomalies are turned into alerts at most this often. */
const BACKLOG_ALERT_MS = 1_000;

export interface TickResult {
  processed: number;
  batches: BatchOutcome[];
}

export class Scorer {
  private held = new Map<string, HeldPartition>();
  private settings = new Map<string, { value: DetectionSettings; at: number }>();
  private cursorsReady = false;
  private lastAlertSweep = 0;
  private unrecorded = false;
  /** When a batch last wrote a span's anomaly, which waits for its trace's scoring (record-alerts.ts). */
  private lastSpanAnomalyMs = -Infinity;
  private lastLiveCount = 0;
  private live = 1;
  /** When each held lease was last extended (claims, renewals and commits all extend it). */
  private renewedAt = new Map<string, number>();
  /** PostgreSQL: up to which seq every span is committed, learnt once for all held partitions. */
  private readonly seqLimit: SharedSeqLimit | null;

  constructor(
    private readonly db: Db,
    private readonly raw: RawDb,
    readonly owner: string,
    private readonly opts: ScorerOptions,
    private readonly onBatch?: (name: string, outcome: BatchOutcome) => void,
  ) {
    this.seqLimit = raw.provider === "postgresql" ? new SharedSeqLimit(() => committedSeqLimit(raw.pool)) : null;
  }

  heldPartitions(): string[] {
    return [...this.held.keys()].sort();
  }

  async tick(now = new Date()): Promise<TickResult> {
    const sql = executorFor(this.raw);
    const names = Array.from({ length: this.opts.partitions }, (_, i) => partitionName(i, this.opts.partitions));
    if (!this.cursorsReady) {
      await ensureCursors(sql, names, now);
      this.cursorsReady = true;
    }
    // Writes to the lease rows (and counts live scorers) only every third of a lease (an idle worker polls often).
    const renewEvery = this.opts.leaseMs / 3;
    if (now.getTime() - this.lastLiveCount >= renewEvery) {
      // This process counts itself even before its first heartbeat (or in-process, without the runtime).
      this.live = Math.max(1, await countLiveWorkers(this.db, SCORER_WORKER, now));
      this.lastLiveCount = now.getTime();
    }
    const share = Math.ceil(this.opts.partitions / this.live);
    // Renew what we hold; forget what we lost.
    for (const name of [...this.held.keys()]) {
      if (now.getTime() - (this.renewedAt.get(name) ?? 0) < renewEvery) continue;
      if ((await claimLease(sql, name, this.owner, now, this.opts.leaseMs)) === null) this.drop(name, "lease lost");
      else this.renewedAt.set(name, now.getTime());
    }
    for (const name of [...this.held.keys()].sort().slice(share)) {
      await releaseLease(sql, name, this.owner);
      this.held.delete(name);
      this.renewedAt.delete(name);
    }
    const offset = hash(this.owner) % names.length;
    for (let i = 0; i < names.length && this.held.size < share; i++) {
      const index = (offset + i) % names.length;
      const name = names[index]!;
      if (this.held.has(name)) continue;
      const position = await claimLease(sql, name, this.owner, now, this.opts.leaseMs);
      if (position === null) continue;
      this.renewedAt.set(name, now.getTime());
      const state = restoreState(name, await readStateRows(sql, name));
      const seqLimit = this.seqLimit ? new SeqLimitCache(this.seqLimit) : null;
      this.held.set(name, { name, buckets: partitionBuckets(index, this.opts.partitions), position, state, cache: new Map(), seqLimit });
    }

    const batches: BatchOutcome[] = [];
    let processed = 0;
    let behind = false;
    for (const p of [...this.held.values()]) {
      try {
        const outcome = await runPartitionBatch(this.raw, this.owner, p, this.opts, (id) => this.settingsFor(id), (ids) => this.loadSettings(ids), now);
        processed += outcome.spans + outcome.traces;
        if (outcome.anomalyIds.length) this.unrecorded = true;
        if (outcome.anomalies.some((a) => a.spanId !== null)) this.lastSpanAnomalyMs = now.getTime();
        // Scored traces may release span anomalies held for them: record them now, not at the next sweep.
        if (outcome.traces > 0 && now.getTime() - this.lastSpanAnomalyMs <= this.opts.maxWaitMs) this.unrecorded = true;
        if (outcome.spans >= this.opts.batchSize) behind = true;
        if (outcome.spans || outcome.traces) this.renewedAt.set(p.name, now.getTime());
        if (outcome.spans || outcome.traces) {
          batches.push(outcome);
          this.onBatch?.(p.name, outcome);
        }
      } catch (error) {
        // In-memory state may be ahead of the database now: reload it on the next claim.
        this.drop(p.name, error instanceof LeaseLostError ? "lease lost at commit" : "batch failed");
        if (!(error instanceof LeaseLostError)) throw error;
      }
    }
    // Alert recording is a Prisma transaction (~10-30 ms): per batch it would cost a backlog more
    // than scoring does, so a worker that is behind records at most every BACKLOG_ALERT_MS.
    const sinceSweep = now.getTime() - this.lastAlertSweep;
    if ((this.unrecorded && (!behind || sinceSweep >= BACKLOG_ALERT_MS)) || sinceSweep >= ALERT_SWEEP_MS) {
      this.lastAlertSweep = now.getTime();
      this.unrecorded = false;
      while ((await recordPendingAlerts(this.db, this.raw.provider, now, this.opts.maxWaitMs)) >= ALERT_BATCH);
    }
    return { processed, batches };
  }

  async stop(): Promise<void> {
    const sql = executorFor(this.raw);
    for (const name of this.held.keys()) await releaseLease(sql, name, this.owner).catch(() => {});
    this.held.clear();
    this.renewedAt.clear();
  }

  private drop(name: string, reason: string): void {
    this.renewedAt.delete(name);
    if (this.held.delete(name)) log.warn("scorer partition dropped", { partition: name, reason, owner: this.owner });
  }

  private settingsFor(projectId: string): DetectionSettings {
    return this.settings.get(projectId)?.value ?? DEFAULT_SETTINGS;
  }

  private async loadSettings(projectIds: string[]): Promise<void> {
    const now = Date.now();
    const stale = projectIds.filter((id) => now - (this.settings.get(id)?.at ?? 0) > SETTINGS_TTL_MS);
    if (stale.length === 0) return;
    const rows = await this.db.project.findMany({ where: { id: { in: stale } }, select: { id: true, settings: true } });
    for (const id of stale) this.settings.set(id, { value: resolveSettings(rows.find((r) => r.id === id)?.settings ?? null), at: now });
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
