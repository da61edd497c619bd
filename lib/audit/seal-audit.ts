// Sealing: audit entries get their place in the chain, in order of time (then id), a batch per call. The
// first statement writes the chain's head row, which takes PostgreSQL's row lock (held to commit) or
// SQLite's write lock: two sealers never take the same seq, and seq order is commit order, so a reader never
// sees a gap that a later commit fills. On SQLite an action's transaction seals its own entry before it
// commits; on PostgreSQL actions call sealSoon after they commit (one sealing run at a time per process,
// repeated while actions keep coming). The retention worker, `audit verify` and `audit export` seal whatever
// is left (e.g. by a process that stopped before sealing).
import { dialectOf, type Db, type Tx } from "../db";
import { AUDIT_SEALS } from "../db/columns";
import { columnList, param, perDialect, render, sql, valueRows, type Dialect, type Sql } from "../db/sql";
import { log } from "../log";
import { hashEntry } from "./audit-hash";
import { viewOf } from "./audit-row";

const BATCH = 500;

/** Locks the chain's head in `tx` and returns it. */
export async function lockChainHead(tx: Tx) {
  return tx.auditChain.update({ where: { id: 1 }, data: { updatedAt: new Date() } });
}

interface Seal {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/** One statement for the whole batch (a Prisma update per row made sealing slower than decisions arrive). */
function sealStatement(seals: readonly Seal[]): Sql {
  const source = perDialect({
    sqlite: () => sql`VALUES ${valueRows(seals.map((s) => [s.id, s.seq, s.prevHash, s.hash]))}`,
    postgresql: () => sql`SELECT * FROM UNNEST(${param(seals.map((s) => s.id), "text[]")}, ${param(seals.map((s) => String(s.seq)), "int8[]")}, ${param(seals.map((s) => s.prevHash), "text[]")}, ${param(seals.map((s) => s.hash), "text[]")})`,
  });
  const set = sql`"seq" = v."seq", "prevHash" = v."prevHash", "hash" = v."hash"`;
  return sql`WITH v(${columnList(AUDIT_SEALS.columns)}) AS (${source}) UPDATE audit_entries SET ${set} FROM v WHERE audit_entries."id" = v."id"`;
}

/** Seals up to `limit` pending entries in `tx`, whose chain head is locked and read as `head`; returns how many. */
export async function sealLocked(tx: Tx, { head, dialect, limit = BATCH }: { head: { seq: bigint; hash: string }; dialect: Dialect; limit?: number }): Promise<number> {
  const rows = await tx.auditEntry.findMany({ where: { seq: null }, orderBy: [{ at: "asc" }, { id: "asc" }], take: limit });
  if (rows.length === 0) return 0;
  const seals: Seal[] = [];
  let seq = Number(head.seq);
  let prevHash = head.hash;
  for (const row of rows) {
    seq++;
    const { id, hash: _hash, ...fields } = viewOf(row);
    const hash = hashEntry({ ...fields, seq, prevHash });
    seals.push({ id, seq, prevHash, hash });
    prevHash = hash;
  }
  const { text, values } = render(sealStatement(seals), dialect);
  await tx.$executeRawUnsafe(text, ...values);
  await tx.auditChain.update({ where: { id: 1 }, data: { seq: BigInt(seq), hash: prevHash } });
  return rows.length;
}

/** Seals every entry committed so far; returns how many. */
export async function sealPending(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.$transaction(async (tx) => sealLocked(tx, { head: await lockChainHead(tx), dialect: dialectOf(db) }), { maxWait: 10_000, timeout: 60_000 });
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

interface Sealer {
  running: Promise<void> | null;
  again: boolean;
}
const sealers = new Map<Db, Sealer>();

/** Seals in the background: one run at a time per client, run again when entries arrived meanwhile. */
export function sealSoon(db: Db): void {
  let sealer = sealers.get(db);
  if (!sealer) sealers.set(db, (sealer = { running: null, again: false }));
  if (sealer.running) {
    sealer.again = true;
    return;
  }
  const state = sealer;
  const run = async () => {
    do {
      state.again = false;
      await sealPending(db);
    } while (state.again);
  };
  state.running = run()
    .catch((error: unknown) => log.warn("audit entries not sealed yet; the next action, the retention worker or `audit verify` seals them", { error: String(error) }))
    .finally(() => {
      state.running = null;
      sealers.delete(db);
      // An action that committed between the last run's check and now.
      if (state.again) sealSoon(db);
    });
}

/** Waits for the background sealing runs, and the runs they start again (a CLI before it exits). */
export async function flushSeals(): Promise<void> {
  while (sealers.size > 0) await Promise.all([...sealers.values()].map((s) => s.running));
}
