// Fixed-window rate limiting in the rate_limits table, so every web process shares the counters.
import type { Db } from "../db";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterMs: number;
}

export function windowStartFor(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}

export function evaluateWindow(count: number, windowStart: number, rule: RateLimitRule, nowMs: number): RateLimitResult {
  const allowed = count <= rule.limit;
  return { allowed, count, retryAfterMs: allowed ? 0 : windowStart + rule.windowMs - nowMs };
}

/** Counts one hit for `key` atomically (one upsert statement) and says whether it is within the rule. */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, nowMs: number): Promise<RateLimitResult> {
  const windowStart = BigInt(windowStartFor(nowMs, rule.windowMs));
  const rows = await db.$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO rate_limits ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN rate_limits."windowStart" = excluded."windowStart" THEN rate_limits."count" + 1 ELSE 1 END,
      "windowStart" = excluded."windowStart"
    RETURNING "count"`;
  return evaluateWindow(Number(rows[0]?.count ?? 1), Number(windowStart), rule, nowMs);
}

export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
