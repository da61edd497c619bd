// Prisma begins SQLite transactions DEFERRED: a transaction that reads first must later upgrade its read
// snapshot to the write lock, and SQLite refuses that at once, without waiting on the busy timeout, when
// another connection committed after the snapshot ("Operation has timed out" from Prisma). The ingest
// writer commits all the time, so read-then-write transactions start with this statement: a write that
// changes nothing but takes the write lock up front, waiting for it like any write. On PostgreSQL it is a
// no-op statement.

/** Run first in a Prisma transaction that reads before it writes. */
export async function takeWriteLock(tx: { $executeRawUnsafe(query: string): Promise<number> }): Promise<void> {
  await tx.$executeRawUnsafe(`UPDATE "projects" SET "name" = "name" WHERE 1 = 0`);
}
