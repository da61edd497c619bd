// Sign-in throttling that an attacker cannot turn against the account's owner. Counters are kept per
// (client address, account) pair and per client address, never per account alone: wrong guesses from
// one address slow down that address, and the owner signing in from elsewhere is never refused.
// Each attempt counts as a failure before the password is checked (so a burst of parallel guesses
// cannot all slip in before the first failure is recorded); a success deletes the pair's counter.
// After `free` failures every attempt waits exponentially longer; a counter with no attempt for
// `resetAfterMs` expires, and expired rows are purged.
import type { Db } from "../db";

export interface ThrottleRule {
  /** Failures allowed without delay. */
  free: number;
  /** Delay after the first failure beyond `free`; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter without attempts for this long starts over. */
  resetAfterMs: number;
}

export const LOGIN_THROTTLE = {
  /** One address guessing one account. */
  pair: { free: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, resetAfterMs: 60 * 60_000 } satisfies ThrottleRule,
  /** One address guessing many accounts (spraying). */
  address: { free: 30, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, resetAfterMs: 60 * 60_000 } satisfies ThrottleRule,
};

export interface ThrottleState {
  failures: number;
  blockedUntilMs: number;
  expiresAtMs: number;
}

export type ThrottleDecision = { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number };

export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (failures - rule.free - 1));
}

/** Pure: may an attempt start now, and the counter as it stands if it fails. */
export function decideAttempt(state: ThrottleState | null, nowMs: number, rule: ThrottleRule): ThrottleDecision {
  const live = state && state.expiresAtMs > nowMs ? state : null;
  if (live && live.blockedUntilMs > nowMs) return { allowed: false, retryAfterMs: live.blockedUntilMs - nowMs };
  const failures = (live?.failures ?? 0) + 1;
  const blockedUntilMs = nowMs + delayAfter(failures, rule);
  return { allowed: true, next: { failures, blockedUntilMs, expiresAtMs: Math.max(blockedUntilMs, nowMs) + rule.resetAfterMs } };
}

const toState = (row: { failures: number; blockedUntilMs: bigint; expiresAtMs: bigint }): ThrottleState => ({
  failures: row.failures, blockedUntilMs: Number(row.blockedUntilMs), expiresAtMs: Number(row.expiresAtMs),
});

/**
 * Counts one attempt for `key` (compare-and-set on the failure count, so concurrent attempts each see
 * the count left by the previous one) or says how long to wait.
 */
export async function registerAttempt(db: Db, key: string, rule: ThrottleRule, nowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
  for (let round = 0; round < 8; round++) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    const decision = decideAttempt(row ? toState(row) : null, nowMs, rule);
    if (!decision.allowed) return { allowed: false, retryAfterMs: decision.retryAfterMs };
    const data = { failures: decision.next.failures, blockedUntilMs: BigInt(decision.next.blockedUntilMs), expiresAtMs: BigInt(decision.next.expiresAtMs) };
    if (!row) {
      const created = await db.loginThrottle.create({ data: { key, ...data } }).then(() => true, () => false);
      if (created) return { allowed: true, retryAfterMs: 0 };
      continue;
    }
    const won = await db.loginThrottle.updateMany({ where: { key, failures: row.failures, blockedUntilMs: row.blockedUntilMs }, data });
    if (won.count === 1) return { allowed: true, retryAfterMs: 0 };
  }
  // Lost every race: so many attempts at once that refusing this one is right.
  return { allowed: false, retryAfterMs: rule.baseDelayMs };
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

export async function purgeExpiredThrottles(db: Db, nowMs: number): Promise<number> {
  return (await db.loginThrottle.deleteMany({ where: { expiresAtMs: { lt: BigInt(nowMs) } } })).count;
}
