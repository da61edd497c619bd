// Group commit: requests that arrive while a write is in progress are written together in the next
// transaction, so they share one commit (and on PostgreSQL one WAL flush and one hold of the seq lock).
// Each request still gets its answer only after the commit that contains its spans.
import { databaseTrouble } from "../errors";
import type { SpanRow } from "./span-row";
import type { WriteResult } from "./write-result";

/** Upper bound on spans per transaction, to keep the write lock short. */
export const MAX_GROUP_SPANS = 2_000;

/**
 * After a grouped write failed: whether every request in it fails with the error. A down, locked or full
 * database fails them all alike (retrying each one alone would only hold the others: a busy SQLite write
 * blocks for the whole busy timeout each time), and a group of one has nothing to isolate. Otherwise each
 * request is written alone, so one request's rows cannot fail the others.
 */
export function failsTogether(groupSize: number, error: unknown): boolean {
  return groupSize === 1 || databaseTrouble(error) !== null;
}

interface Pending {
  rows: SpanRow[];
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

/**
 * The group's rows, for the writer. Only a group of several is retried request by request, so a single
 * request's rows are dropped here: otherwise they would stay reachable until the commit, and every
 * young-generation GC meanwhile would copy them (then promote them to the old generation).
 */
function handOver(group: Pending[]): SpanRow[][] {
  const batches = group.map((p) => p.rows);
  if (group.length === 1) group[0]!.rows = [];
  return batches;
}

export class WriteQueue {
  private pending: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (batches: SpanRow[][]) => Promise<WriteResult[]> | WriteResult[],
    private readonly maxSpans = MAX_GROUP_SPANS,
    /**
     * Groups handed to the writer before the previous one has committed. With 2, PostgreSQL starts the
     * next transaction while this thread is still answering the last one; a writer that groups requests
     * itself (the SQLite writer thread) takes each request at once (unbounded).
     */
    private readonly maxInFlight = 1,
  ) {}

  enqueue(rows: SpanRow[]): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      this.pump();
    });
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let spans = 0;
    while (this.pending.length > 0 && (group.length === 0 || spans + this.pending[0]!.rows.length <= this.maxSpans)) {
      const next = this.pending.shift()!;
      spans += next.rows.length;
      group.push(next);
    }
    return group;
  }

  private pump(): void {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      this.inFlight++;
      void this.writeGroup(this.takeGroup()).finally(() => {
        this.inFlight--;
        // Let requests whose bodies are ready decode and join the next group.
        setImmediate(() => this.pump());
      });
    }
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    try {
      const results = await this.write(handOver(group));
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (failsTogether(group.length, error)) {
        for (const p of group) p.reject(error);
        return;
      }
      for (const p of group) await this.writeGroup([p]);
    }
  }
}
