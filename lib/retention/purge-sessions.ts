// Expired dashboard sessions no longer sign anyone in (readSession checks expiresAt); this removes their rows.
import type { Db } from "../db";

export async function purgeExpiredSessions(db: Db, now: Date): Promise<number> {
  return (await db.session.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
