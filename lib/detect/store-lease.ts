// Partition cursors and leases on WorkerCursor rows. A partition "scorer:p<i>of<n>" covers the span
// buckets b with b % n == i. Claims and renewals are conditional updates; the commit of a batch is a
// compare-and-set on (leaseOwner, position), so a worker that lost its lease can never commit.
// How many scorers are live (for a fair share each) comes from their heartbeats (lib/health.ts).
import { dbTime, type Sql } from "./store-sql";

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
export async function ensureCursors(sql: Sql, names: readonly string[], now: Date): Promise<void> {
  const existing = await sql.all<{ name: string }>(`SELECT name FROM worker_cursors WHERE name LIKE 'scorer:p%'`, `SELECT name FROM worker_cursors WHERE name LIKE 'scorer:p%'`);
  const have = new Set(existing.map((r) => r.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length === 0) return;
  const [low] = await sql.all<{ p: unknown }>(
    `SELECT MIN(position) AS p FROM worker_cursors WHERE name LIKE 'scorer:p%'`,
    `SELECT MIN(position) AS p FROM worker_cursors WHERE name LIKE 'scorer:p%'`,
  );
  const start = low?.p === null || low?.p === undefined ? 0 : Number(low.p);
  for (const name of missing) {
    await sql.run(
      `INSERT INTO worker_cursors (name, position, "updatedAt") VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
      `INSERT INTO worker_cursors (name, position, "updatedAt") VALUES ($1, $2, $3::timestamp) ON CONFLICT (name) DO NOTHING`,
      [name, start, dbTime(sql, now)],
    );
  }
}

/** Takes or renews a lease; returns the committed position when this owner holds it. */
export async function claimLease(sql: Sql, name: string, owner: string, now: Date, leaseMs: number): Promise<number | null> {
  const until = dbTime(sql, new Date(now.getTime() + leaseMs));
  const t = dbTime(sql, now);
  const changed = await sql.run(
    `UPDATE worker_cursors SET "leaseOwner" = ?, "leaseUntil" = ?, "updatedAt" = ? WHERE name = ? AND ("leaseOwner" IS NULL OR "leaseOwner" = ? OR "leaseUntil" IS NULL OR "leaseUntil" < ?)`,
    `UPDATE worker_cursors SET "leaseOwner" = $1, "leaseUntil" = $2::timestamp, "updatedAt" = $3::timestamp WHERE name = $4 AND ("leaseOwner" IS NULL OR "leaseOwner" = $5 OR "leaseUntil" IS NULL OR "leaseUntil" < $6::timestamp)`,
    [owner, until, t, name, owner, t],
  );
  if (changed !== 1) return null;
  const [row] = await sql.all<{ position: unknown }>(`SELECT position FROM worker_cursors WHERE name = ?`, `SELECT position FROM worker_cursors WHERE name = $1`, [name]);
  return row ? Number(row.position) : null;
}

export async function releaseLease(sql: Sql, name: string, owner: string): Promise<void> {
  await sql.run(
    `UPDATE worker_cursors SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE name = ? AND "leaseOwner" = ?`,
    `UPDATE worker_cursors SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE name = $1 AND "leaseOwner" = $2`,
    [name, owner],
  );
}

/** Inside the commit transaction: moves the cursor only if we still own it at the expected position. */
export async function advanceCursor(sql: Sql, name: string, owner: string, from: number, to: number, now: Date, leaseMs: number): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE worker_cursors SET position = ?, "leaseUntil" = ?, "updatedAt" = ? WHERE name = ? AND "leaseOwner" = ? AND position = ?`,
    `UPDATE worker_cursors SET position = $1, "leaseUntil" = $2::timestamp, "updatedAt" = $3::timestamp WHERE name = $4 AND "leaseOwner" = $5 AND position = $6`,
    [to, dbTime(sql, new Date(now.getTime() + leaseMs)), dbTime(sql, now), name, owner, from],
  );
  return changed === 1;
}
