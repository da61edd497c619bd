// When runs start. Non-homogeneous Poisson arrivals of user sessions (a session is one to a few runs
// tens of seconds apart), modulated by a daily (global product) or office-hours shape and by a slowly
// varying random level (real traffic is over-dispersed: minute counts vary more than Poisson); cron
// schedules with a worker pool; per-tenant quiet traffic in each tenant's own time zone.
import type { Rng } from "./rng";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type Shape = "global" | "office" | "flat";

/** Global product: peak when Europe and the Americas overlap, trough in the Pacific night (mean ≈ 1). */
export function globalShape(ms: number): number {
  const h = (ms / HOUR) % 24;
  return 1 + 0.4 * Math.sin((2 * Math.PI * (h - 9)) / 24) + 0.08 * Math.sin((4 * Math.PI * (h - 2)) / 24);
}

/** Office hours at a UTC offset: 08–19 local on weekdays with a lunch dip, near-silent nights and weekends (weekday peak = 1). */
export function officeShape(ms: number, utcOffsetHours = 1): number {
  const local = ms + utcOffsetHours * HOUR;
  const day = new Date(local).getUTCDay(); // 0 Sunday
  const h = (local / HOUR) % 24;
  let v: number;
  if (h < 7) v = 0.004;
  else if (h < 8) v = 0.004 + 0.25 * (h - 7);
  else if (h < 9) v = 0.25 + 0.6 * (h - 8);
  else if (h < 12) v = 0.85 + 0.05 * (h - 9);
  else if (h < 13.5) v = 0.65;
  else if (h < 17) v = 1;
  else if (h < 18) v = 1 - 0.5 * (h - 17);
  else if (h < 19.5) v = 0.5 - 0.3 * (h - 18);
  else if (h < 23) v = 0.05 - 0.013 * (h - 19.5);
  else v = 0.004;
  if (day === 0 || day === 6) v *= 0.03;
  return v;
}

export function shapeAt(shape: Shape, ms: number): number {
  if (shape === "office") return officeShape(ms);
  if (shape === "global") return globalShape(ms);
  return 1;
}

/** Maximum of a shape (for thinning). */
export const SHAPE_MAX: Record<Shape, number> = { global: 1.5, office: 1.01, flat: 1 };

/** Slowly varying log-level: AR(1) per minute, correlation time ~10 minutes, sd `sd`. */
export class LevelNoise {
  private x = 0;
  private minute = -1;
  constructor(private readonly rng: Rng, private readonly sd: number) {}
  at(ms: number): number {
    const m = Math.floor(ms / 60_000);
    if (this.minute < 0) this.minute = m;
    const phi = Math.exp(-1 / 10);
    while (this.minute < m) {
      this.x = phi * this.x + Math.sqrt(1 - phi * phi) * this.sd * this.rng.normal();
      this.minute++;
    }
    return Math.exp(this.x - (this.sd * this.sd) / 2);
  }
}

/**
 * Session starts by thinning, then each session's runs. `rate(t)` is the expected runs per ms at t
 * (before the level noise); `factor(t)` multiplies it (injected drops and surges).
 */
export function sessionArrivals(rng: Rng, fromMs: number, toMs: number, rate: (t: number) => number, rateMax: number, noiseSd: number, factor: (t: number) => number, factorMax = 1): number[] {
  const meanRunsPerSession = 1.8;
  const level = new LevelNoise(rng.fork("level"), noiseSd);
  const sessMax = (rateMax / meanRunsPerSession) * Math.exp(3 * noiseSd) * factorMax;
  const out: number[] = [];
  let t = fromMs;
  for (;;) {
    t += rng.exp(1 / sessMax);
    if (t >= toMs) break;
    const lambda = (rate(t) / meanRunsPerSession) * level.at(t) * factor(t);
    if (rng.next() * sessMax > lambda) continue;
    // Session: 1 + geometric runs, 15–120 s apart (the user reads, then asks again).
    const runs = 1 + rng.geometric(1 / meanRunsPerSession);
    let s = t;
    for (let k = 0; k < runs; k++) {
      if (s >= toMs) break;
      // A run in a session that would start while the service is down does not happen either.
      if (k === 0 || rng.next() < Math.min(1, factor(s))) out.push(s);
      s += 15_000 + rng.exp(40_000);
    }
  }
  return out.sort((a, b) => a - b);
}

/** Hourly cron: at each HH:00 (plus scheduler jitter) a batch of runs drained by a worker pool. */
export function cronArrivals(rng: Rng, fromMs: number, toMs: number, opts: { perHour: number; nightly: number; nightlyHourUtc: number; pool: number; runMs: number }): number[] {
  const out: number[] = [];
  for (let h = Math.ceil(fromMs / HOUR) * HOUR; h < toMs; h += HOUR) {
    const hourUtc = (h / HOUR) % 24;
    const n = hourUtc === opts.nightlyHourUtc ? opts.nightly : rng.poisson(opts.perHour);
    const start = h + 200 + rng.exp(1500);
    const free = Array.from({ length: opts.pool }, () => start);
    for (let i = 0; i < n; i++) {
      let w = 0;
      for (let k = 1; k < free.length; k++) if (free[k]! < free[w]!) w = k;
      const s = free[w]! + 20 + rng.exp(80);
      if (s < toMs) out.push(s);
      free[w] = s + opts.runMs * Math.exp(0.4 * rng.normal());
    }
  }
  return out.sort((a, b) => a - b);
}

/** A tenant's runs: `perDay` on average, office-shaped in its own time zone (weekends nearly idle). */
export function tenantArrivals(rng: Rng, fromMs: number, toMs: number, perDay: number, utcOffset: number): number[] {
  // Mean of the office shape over a weekday ≈ 0.38: scale so a weekday gets `perDay` runs.
  const peak = perDay / (0.38 * DAY);
  const out: number[] = [];
  let t = fromMs;
  for (;;) {
    t += rng.exp(1 / peak);
    if (t >= toMs) break;
    if (rng.next() > officeShape(t, utcOffset)) continue;
    out.push(t);
  }
  return out;
}
