// Retry timing: exponential backoff with "equal jitter" and Retry-After parsing.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry). Half fixed, half random, so retries
 * spread out (no thundering herd after an outage) but never come back immediately.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. Capped at `maxMs`. */
export function parseRetryAfterMs(header: string | null | undefined, now: Date, maxMs = 60 * 60_000): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return null;
    ms = date - now.getTime();
  }
  return Math.min(maxMs, Math.max(0, Math.round(ms)));
}
