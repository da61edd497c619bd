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

/**
 * Where a process's spans go: one per process, built by its entry point (lib/server/web-server.ts,
 * scripts) and handed down, so that concurrent requests share its group commit.
 */
export class SpanWriter {
  private readonly queue: WriteQueue;

  /**
   * `write` stores groups of requests' rows and answers after their commit; `maxInFlight` groups may be
   * handed to it before the previous one has committed (see WriteQueue).
   */
  constructor(
    readonly provider: RawDb["provider"],
    write: (batches: SpanRow[][]) => Promise<WriteResult[]> | WriteResult[],
    maxInFlight = 1,
  ) {
    this.queue = new WriteQueue(write, undefined, maxInFlight);
  }

  /** Resolves after the commit that contains these rows. */
  write(rows: SpanRow[]): Promise<WriteResult> {
    return this.queue.enqueue(rows);
  }
}

/** Writes on this thread with the process's own connection (write-on-thread.ts: on a writer thread). */
export function inProcessSpanWriter(raw: RawDb): SpanWriter {
  // In process, SQLite writes block this thread, so a second group in flight would gain nothing.
  return raw.provider === "sqlite"
    ? new SpanWriter("sqlite", (batches) => writeBatchesSqlite(raw.sqlite, batches))
    : new SpanWriter("postgresql", (batches) => writeBatchesPostgres(raw.pool, batches), PG_PIPELINE_DEPTH);
}

export type IngestOptions = {
  projectId: string;
  prices: PriceTable;
  /** Server receive time, ms since the epoch. */
  receivedMs: number;
} & (
  | { writer: SpanWriter; raw?: never }
  /** One-off callers (seeds, tests): a writer of its own for this call, without group commit with other calls. */
  | { raw: RawDb; writer?: never }
);

export async function ingestSpans(spans: DecodedSpan[], options: IngestOptions): Promise<WriteResult> {
  if (spans.length === 0) return { inserted: 0, duplicates: 0, agentUpdates: 0 };
  const writer = options.writer ?? inProcessSpanWriter(options.raw);
  const rows = toSpanRows(options.projectId, spans, options.prices, options.receivedMs);
  // Enqueued outside the span's callback, which would keep the rows reachable until the commit (see WriteQueue).
  const written = writer.write(rows);
  return withSpan("db write spans", () => written, { "argus.spans": rows.length, "db.system": writer.provider });
}
