// Latency and size laws. Multiplicative noise is lognormal, or log-t with ν degrees of freedom when
// heavy tails are on, scaled so that both have the same interquartile range: the body of the
// distribution stays the same, only the tails grow.
import type { Rng } from "./rng";

const Q75_NORMAL = 0.6745;
/** 75th percentile of Student's t for ν = 3, 4, 5, 6, 8. */
const Q75_T: Record<number, number> = { 3: 0.7649, 4: 0.7407, 5: 0.7267, 6: 0.7176, 8: 0.7064 };

/** Scale of the log-t part of heavy-tailed noise: the tails grow, not the body's spread. */
const TAIL_SCALE = 0.35;

/**
 * exp(σ·z), z standard normal; with heavy tails (ν given) the log is the sum of a normal part and an
 * IQR-matched Student-t(ν) part of scale min(σ, 0.35) with the same total body spread, so a key with a
 * wide body (a SQL warehouse, σ = 0.9) does not get astronomically long tails: the t part is clamped
 * at 12, at most e^4.2 ≈ 67× on top of the body.
 */
export function logNoise(rng: Rng, sigma: number, nu: number | null): number {
  if (!nu) {
    const z = rng.normal();
    return Math.exp(sigma * Math.max(-6, Math.min(12, z)));
  }
  const st = Math.min(sigma, TAIL_SCALE);
  const sb = Math.sqrt(Math.max(0, sigma * sigma - st * st));
  let t = rng.studentT(nu) * (Q75_NORMAL / (Q75_T[nu] ?? Q75_NORMAL));
  if (t > 12) t = 12;
  if (t < -6) t = -6;
  return Math.exp(sb * rng.normal() + st * t);
}

/** A positive integer count around a median (lognormal), at least `min`. */
export function countAround(rng: Rng, median: number, sigma: number, min = 1): number {
  return Math.max(min, Math.round(median * Math.exp(sigma * rng.normal())));
}

/** Global provider load over the day (UTC): US and European business hours overlap at 14–17 UTC. */
export function providerLoad(ms: number): number {
  const h = (ms / 3_600_000) % 24;
  return 1 + 0.1 * Math.sin((2 * Math.PI * (h - 9)) / 24) + 0.04 * Math.sin((4 * Math.PI * (h - 3)) / 24);
}

/**
 * One-way network time to a hosted API or an internal service (ms): tens of ms; with heavy tails, a
 * rare TCP retransmission or a new TLS handshake adds 0.2, 1 or 3 s (Linux RTO min, initial SYN RTO).
 */
export function networkMs(rng: Rng, internal: boolean, heavy: boolean): number {
  const base = internal ? 1.5 * Math.exp(0.4 * rng.normal()) : 28 * Math.exp(0.35 * rng.normal());
  return heavy && rng.chance(0.002) ? base + rng.pick([200, 1000, 3000]) : base;
}

/** Backoff of the OpenAI / Anthropic Python clients: 0.5 s · 2^attempt, jittered down by up to 25 %, capped at 8 s. */
export function clientBackoffMs(rng: Rng, attempt: number): number {
  return Math.min(8000, 500 * 2 ** attempt) * (1 - 0.25 * rng.next());
}

/** tenacity-style framework retry: 1 s · 2^attempt plus up to 1 s of jitter. */
export function frameworkBackoffMs(rng: Rng, attempt: number): number {
  return 1000 * 2 ** attempt + 1000 * rng.next();
}
