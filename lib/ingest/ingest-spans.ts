// Ingestion entry point: normalize decoded spans and write them durably (resolves after commit).
import { withSpan } from "../telemetry";
import type { RawDb } from "../db/open";
import type { DecodedSpan } from "../otlp/types";
import type { PriceTable } from "../pricing/lookup";
import { toSpanRows, type SpanRow } from "./span-row";
import { PG_PIPELINE_DEPTH, writeBatchesPostgres } from "./write-postgres";
import { WriteQueue } from "./write-queue";
import type { WriteResult } from "./write-result";
import { writeBatchesSqlite } from "./write-sqlite";

export interface IngestOptions {
  raw: RawDb;
  projectId: string;
  prices: PriceTable;
  /** Server receive time, ms since the epoch. */
  receivedMs: number;
}

/** One queue per database handle: a single writer per process, with group commit. */
const queues = new WeakMap<object, WriteQueue>();
const handleOf = (raw: RawDb): object => (raw.provider === "sqlite" ? raw.sqlite : raw.pool);

function queueFor(raw: RawDb): WriteQueue {
  const handle = handleOf(raw);
  let queue = queues.get(handle);
  if (!queue) {
    // In process, SQLite writes block this thread, so a second group in flight would gain nothing.
    queue =
      raw.provider === "sqlite"
        ? new WriteQueue((batches) => writeBatchesSqlite(raw.sqlite, batches))
        : new WriteQueue((batches) => writeBatchesPostgres(raw.pool, batches), undefined, PG_PIPELINE_DEPTH);
    queues.set(handle, queue);
  }
  return queue;
}

/**
 * Replaces the writer for a database (write-on-thread.ts: a writer thread). Returns false when this
 * database already has a writer, which then stays.
 */
export function setWriter(raw: RawDb, write: (batches: SpanRow[][]) => Promise<WriteResult[]>): boolean {
  const handle = handleOf(raw);
  if (queues.has(handle)) return false;
  // Every request goes to the thread at once: it groups what queued up while it wrote (group commit
  // there, without waiting for this thread to notice each commit).
  queues.set(handle, new WriteQueue(write, undefined, Number.POSITIVE_INFINITY));
  return true;
}

export async function ingestSpans(spans: DecodedSpan[], options: IngestOptions): Promise<WriteResult> {
  if (spans.length === 0) return { inserted: 0, duplicates: 0, agentUpdates: 0 };
  const rows = toSpanRows(options.projectId, spans, options.prices, options.receivedMs);
  // Enqueued outside the span's callback, which would keep the rows reachable until the commit (see WriteQueue).
  const written = queueFor(options.raw).enqueue(rows);
  return withSpan("db write spans", () => written, { "argus.spans": rows.length, "db.system": options.raw.provider });
}
