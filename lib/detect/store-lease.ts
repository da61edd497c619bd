// Partition cursors and leases on WorkerCursor rows. A partition "scorer:p<i>of<n>" covers the span
// buckets b with b % n == i. Claims and renewals are conditional updates; the commit of a batch is a
// compare-and-set on (leaseOwner, position), so a worker that lost its lease can never commit.
// How many scorers are live (for a fair share each) comes from their heartbeats (lib/health.ts).
import type { Executor } from "@/lib/db/executor";
import { sql } from "@/lib/db/sql";

export const BUCKETS = 64;

export function partitionName(index: number, count: number): string {
  return `scorer:p${index}of${count}`;
}

export function partitionBuckets(index: number, count: number): number[] | null {
  if (count === 1) return null;
  const out: number[] = [];
  for (let b = 0; b < BUCKETS; b++) if (b % count === index) out.push(b);
  return out;
}

/**
 * Creates missing cursor rows. A new partition layout starts at the lowest position of any earlier
 * scorer cursor (dedup keys make the replayed range harmless), or 0.
 */
export async function ensureCursors(ex: Executor, names: readonly string[], now: Date): Promise<void> {
  const existing = await ex.all<{ name: string }>(sql`SELECT name FROM worker_cursors WHERE name LIKE 'scorer:p%'`);
  const have = new Set(existing.map((r) => r.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length === 0) return;
  const low = await ex.one<{ p: number | null }>(sql`SELECT MIN(position) AS p FROM worker_cursors WHERE name LIKE 'scorer:p%'`);
  const start = low?.p ?? 0;
  for (const name of missing) {
    await ex.run(sql`INSERT INTO worker_cursors (name, position, "updatedAt") VALUES (${name}, ${start}, ${now}) ON CONFLICT (name) DO NOTHING`);
  }
}

/** Takes or renews a lease; returns the committed position when this owner holds it. */
export async function claimLease(ex: Executor, name: string, owner: string, now: Date, leaseMs: number): Promise<number | null> {
  const until = new Date(now.getTime() + leaseMs);
  const changed = await ex.run(sql`UPDATE worker_cursors SET "leaseOwner" = ${owner}, "leaseUntil" = ${until}, "updatedAt" = ${now}
    WHERE name = ${name} AND ("leaseOwner" IS NULL OR "leaseOwner" = ${owner} OR "leaseUntil" IS NULL OR "leaseUntil" < ${now})`);
  if (changed !== 1) return null;
  const row = await ex.one<{ position: number }>(sql`SELECT position FROM worker_cursors WHERE name = ${name}`);
  return row ? Number(row.position) : null;
}

export async function releaseLease(ex: Executor, name: string, owner: string): Promise<void> {
  await ex.run(sql`UPDATE worker_cursors SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE name = ${name} AND "leaseOwner" = ${owner}`);
}

export interface CursorMove {
  name: string;
  owner: string;
  from: number;
  to: number;
  now: Date;
  leaseMs: number;
}

/** Inside the commit transaction: moves the cursor only if we still own it at the expected position. */
export async function advanceCursor(ex: Executor, move: CursorMove): Promise<boolean> {
  const { name, owner, from, to, now, leaseMs } = move;
  const changed = await ex.run(sql`UPDATE worker_cursors SET position = ${to}, "leaseUntil" = ${new Date(now.getTime() + leaseMs)}, "updatedAt" = ${now}
    WHERE name = ${name} AND "leaseOwner" = ${owner} AND position = ${from}`);
  return changed === 1;
}
