// PostgreSQL's seq lock: how scoring workers can read spans by `seq > cursor` while several ingest
// transactions insert at once.
//
// A transaction can take seq 10 and commit after another one that took seq 11; a worker that had read
// up to 11 would then skip 10 forever. So every ingest transaction holds this advisory lock *shared*,
// from before its first nextval() until it commits, and any number of them insert side by side. A
// reader takes the lock *exclusively* for an instant: once it is granted no ingest transaction is in
// flight, so every seq handed out so far is committed (or rolled back). The reader reads up to that
// limit only (committedSeqLimit).
//
// Writers of the same trace still go one at a time (a two-key advisory lock per trace, taken in sorted
// order): a span's agent is inherited from ancestors the writer must be able to see (resolve-agents.ts).
import type pg from "pg";

export const INGEST_LOCK_KEY = 0x41524755; // "ARGU"
/** The two-key form is a key space of its own, apart from one-key locks such as INGEST_LOCK_KEY. */
export const TRACE_LOCK_CLASS = 0x41524756;

export const SHARED_SEQ_LOCK = `SELECT pg_advisory_xact_lock_shared(${INGEST_LOCK_KEY})`;

/** A trace's lock key: its last 32 bits. Two traces sharing a key only wait for each other. */
export function traceLockKey(traceId: string): number {
  return parseInt(traceId.slice(-8), 16) | 0;
}

/** Locks every trace of a write, in ascending key order so that two writers can never deadlock. */
export function traceLocksQuery(traceIds: Iterable<string>): string {
  const keys = [...new Set([...traceIds].map(traceLockKey))].sort((a, b) => a - b);
  return `SELECT pg_advisory_xact_lock(${TRACE_LOCK_CLASS}, k) FROM unnest('{${keys.join(",")}}'::int4[]) AS k`;
}

/**
 * How long a reader waits for the ingest transactions in flight. New ones queue behind its request, so a
 * stuck writer must not hold all ingestion up through it: after this the reader gives up until its next batch.
 */
export const SEQ_LIMIT_WAIT_MS = 2_000;

/**
 * The highest seq below which every span is committed: waits for the ingest transactions in flight
 * (new ones queue behind it for that moment), then reads the sequence, whose state is not
 * transactional. 0 while no span was ever written, and when the wait exceeded SEQ_LIMIT_WAIT_MS (the
 * caller then reads nothing this time).
 */
export async function committedSeqLimit(pool: pg.Pool): Promise<number> {
  try {
    const replies = (await pool.query(
      `BEGIN; SET LOCAL lock_timeout = ${SEQ_LIMIT_WAIT_MS}; SELECT pg_advisory_xact_lock(${INGEST_LOCK_KEY});
       SELECT pg_sequence_last_value(pg_get_serial_sequence('spans', 'seq')::regclass) AS "last"; COMMIT`,
    )) as unknown as pg.QueryResult<{ last: bigint | string | null }>[];
    const last = replies[3]!.rows[0]?.last;
    return last === null || last === undefined ? 0 : Number(last);
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") return 0; // lock_not_available
    throw error;
  }
}

/**
 * Least time between two takes of the seq lock by one scorer process: each take makes new ingest
 * transactions wait until those in flight commit. A busy scorer would otherwise take it for every batch.
 */
export const SEQ_LIMIT_REFRESH_MS = 200;

/**
 * A scorer process's committed limit, shared by every partition it holds: the limit is global (one
 * sequence), so one take serves them all. Taken again only when the last take started at least
 * SEQ_LIMIT_REFRESH_MS ago; callers that ask while a take runs wait for that one.
 */
export class SharedSeqLimit {
  private value = 0;
  private takenAt = Number.NEGATIVE_INFINITY;
  private taking: Promise<number> | null = null;

  constructor(private readonly take: () => Promise<number>) {}

  /** The newest limit; never lower than one returned before. */
  fresh(): Promise<number> {
    if (this.taking) return this.taking;
    if (performance.now() - this.takenAt < SEQ_LIMIT_REFRESH_MS) return Promise.resolve(this.value);
    this.takenAt = performance.now();
    this.taking = this.take()
      // 0 means the limit could not be learnt this time; the previous one still holds.
      .then((limit) => (this.value = Math.max(this.value, limit)))
      .finally(() => (this.taking = null));
    return this.taking;
  }
}

/**
 * One partition's limit: reused while its reads stop short of it (the partition is behind, and an
 * older limit is still safe), and asked of the shared limit again once a read has returned everything
 * up to it. A partition's cursor may stay below the limit when no span of its buckets lies in between,
 * so it is the read that tells, not the cursor.
 */
export class SeqLimitCache {
  private value = 0;
  private readUpToLimit = true;

  constructor(private readonly shared: SharedSeqLimit) {}

  /** The limit for the next read. */
  async next(): Promise<number> {
    if (this.readUpToLimit) this.value = Math.max(this.value, await this.shared.fresh());
    return this.value;
  }

  /** After a read with the last limit: `complete` when it returned every span up to it (not a full batch). */
  read(complete: boolean): void {
    this.readUpToLimit = complete;
  }
}
