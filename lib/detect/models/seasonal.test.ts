// Seasonal profiles: UTC slots, visits of a slot, and empirical-Bayes shrinkage of the slot offsets.
// Residuals are simulated as baseline.ts produces them: a slot's true offset, plus the drift shared by
// all observations of one visit (that day), plus heavy-tailed observation noise.
import { describe, expect, it } from "vitest";
import { DEFAULT_BASELINE_PARAMS, emptyBaseline } from "./baseline";
import { createRng, type Rng } from "./rng";
import { completedVisits, dayOfWeek, emptyProfile, halfHourOf, learnSlot, shrunkOffset, type SeasonalMemory, type SeasonalProfile } from "./seasonal";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);
/** The baseline's seasonal memory: a week's half-life, never faster than 20 of a slot's observations. */
const MEMORY: SeasonalMemory = DEFAULT_BASELINE_PARAMS.season;
const VISIT_GAP = 20 * MINUTE;

describe("UTC slots", () => {
  it.each([
    { iso: "1970-01-01T00:00:00.000Z", halfHour: 0, day: 4, name: "the epoch (a Thursday)" },
    { iso: "2026-11-02T00:00:00.000Z", halfHour: 0, day: 1, name: "a Monday's midnight" },
    { iso: "2026-11-02T13:45:00.000Z", halfHour: 27, day: 1, name: "13:45 is the 28th half-hour" },
    { iso: "2026-11-08T23:59:59.999Z", halfHour: 47, day: 0, name: "the last millisecond of a Sunday" },
    { iso: "2000-01-01T00:29:59.999Z", halfHour: 0, day: 6, name: "the end of the first half-hour (a Saturday)" },
    { iso: "2024-02-29T12:00:00.000Z", halfHour: 24, day: 4, name: "noon on a leap day (a Thursday)" },
    { iso: "1969-12-31T23:30:00.000Z", halfHour: 47, day: 3, name: "before the epoch (negative ms, a Wednesday)" },
    { iso: "1900-01-01T06:00:00.000Z", halfHour: 12, day: 1, name: "1900-01-01 (a Monday)" },
  ])("$name", ({ iso, halfHour, day }) => {
    const ms = Date.parse(iso);
    expect(halfHourOf(ms)).toBe(halfHour);
    expect(dayOfWeek(ms)).toBe(day);
  });

  it("agree with the calendar over two centuries", () => {
    const rng = createRng(1);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((rng.next() - 0.5) * 2 * 100 * 365.25 * DAY) + T0;
      const d = new Date(ms);
      expect(halfHourOf(ms)).toBe(Math.floor((d.getUTCHours() * 60 + d.getUTCMinutes()) / 30));
      expect(dayOfWeek(ms)).toBe(d.getUTCDay());
    }
  });
});

describe("visits", () => {
  it("observations within 20 minutes of each other are one visit, which counts once its gap has passed", () => {
    const p = emptyProfile(48, 1);
    const start = T0 + 3 * 30 * MINUTE;
    for (let k = 0; k < 10; k++) learnSlot(p, 3, 0.1, start + 2 * k * MINUTE, MEMORY, 1);
    const last = start + 18 * MINUTE;
    expect(completedVisits(p, 3, last + VISIT_GAP)).toBe(0);
    expect(completedVisits(p, 3, last + VISIT_GAP + 1)).toBe(1);
    // The next slot's first observation ends the visit for good.
    learnSlot(p, 4, 0.1, start + 30 * MINUTE, MEMORY, 1);
    expect(p.visits[3]).toBe(1);
    expect(completedVisits(p, 3, start + 30 * MINUTE)).toBe(1);
  });

  it("observations of a slot more than 20 minutes apart are separate visits", () => {
    const p = emptyProfile(48, 1);
    for (let k = 0; k < 3; k++) learnSlot(p, 0, 0.1, T0 + k * 21 * MINUTE, MEMORY, 1);
    // Two closed, the third under way until its gap has passed (each decayed by 21 min of a week's half-life).
    expect(completedVisits(p, 0, T0 + 42 * MINUTE)).toBeGreaterThan(1.99);
    expect(completedVisits(p, 0, T0 + 42 * MINUTE)).toBeLessThan(2);
    expect(completedVisits(p, 0, T0 + 42 * MINUTE + VISIT_GAP + 1)).toBeGreaterThan(2.99);
  });

  it("daily visits accumulate as a geometric series: what a slot knows is bounded by its memory", () => {
    // A visit of 6 observations from :00 to :25 each day. Each new visit decays the earlier ones by
    // q = 2^(−Δ/halfLife), Δ = the day minus the visit's 25 minutes, so after n days v = (1 − q^n)/(1 − q),
    // at most 1/(1 − q) = 10.9 visits for a week's half-life.
    const p = emptyProfile(48, 1);
    const slot = 20;
    const days = 56;
    for (let d = 0; d < days; d++) {
      for (let k = 0; k < 6; k++) learnSlot(p, slot, 0, T0 + d * DAY + slot * 30 * MINUTE + 5 * k * MINUTE, MEMORY, 1);
      learnSlot(p, slot + 1, 0, T0 + d * DAY + (slot + 1) * 30 * MINUTE, MEMORY, 1);
    }
    const q = Math.pow(2, -(DAY - 25 * MINUTE) / MEMORY.halfLifeMs);
    expect(completedVisits(p, slot, T0 + days * DAY)).toBeCloseTo((1 - q ** days) / (1 - q), 6);
  });
});

describe("shrinkage of an offset", () => {
  it.each([1, 2, 3])("is exactly 0 while a slot has fewer than %i completed visits, and used from then on", (minVisits) => {
    const p = emptyProfile(2, minVisits);
    const seen = { before: 0, after: 0 };
    // Two slots at ±1 with 20 observations a daily visit: an unmistakable pattern, held back until visited enough.
    const read = (at: number) => {
      if (completedVisits(p, 0, at) < minVisits) {
        seen.before += 1;
        expect(shrunkOffset(p, 0, 0.01, at)).toBe(0);
      } else if (p.between > 0) {
        seen.after += 1;
        expect(shrunkOffset(p, 0, 0.01, at)).toBeGreaterThan(0.9);
      }
    };
    for (let v = 0; v < 6; v++) {
      for (let k = 0; k < 20; k++) learnSlot(p, 0, 1, T0 + v * DAY + k * MINUTE, MEMORY, 0.01);
      read(T0 + v * DAY + 19 * MINUTE); // during the visit: only earlier visits count
      for (let k = 0; k < 20; k++) learnSlot(p, 1, -1, T0 + v * DAY + HOUR + k * MINUTE, MEMORY, 0.01);
      read(T0 + (v + 1) * DAY); // a day later: this visit has completed
    }
    expect(seen.before).toBeGreaterThan(0);
    expect(seen.after).toBeGreaterThan(0);
  });

  it.each([
    { visits: 1, ratio: 0.125 / (0.125 + 0.4) },
    { visits: 2, ratio: 0.125 / (0.125 + 0.2) },
    { visits: 5, ratio: 0.125 / (0.125 + 0.08) },
    { visits: 20, ratio: 0.125 / (0.125 + 0.02) },
    { visits: 200, ratio: 0.125 / (0.125 + 0.002) },
  ])("with $visits visits keeps between / (between + visit noise / visits) of the offset", ({ visits, ratio }) => {
    // Slots that differ by a variance of 0.125 and visit means that scatter by 0.4 around their slot's offset.
    const p: SeasonalProfile = { ...emptyProfile(2, 1), offset: [0.8, -0.8], visits: [visits, visits], between: 0.125, visitNoise: 0.4 };
    expect(shrunkOffset(p, 0, 1, T0) / 0.8).toBeCloseTo(ratio, 12);
  });

  it("the shrinkage factor grows with visits toward 1: few visits pull toward 0, many give the slot's own mean", () => {
    const p: SeasonalProfile = { ...emptyProfile(1, 1), offset: [0.8], between: 0.125, visitNoise: 0.4 };
    const factors = [1, 2, 5, 20, 200].map((v) => shrunkOffset({ ...p, visits: [v] }, 0, 1, T0) / 0.8);
    for (let i = 1; i < factors.length; i++) expect(factors[i]).toBeGreaterThan(factors[i - 1]!);
    expect(factors[0]).toBeLessThan(0.25);
    expect(factors.at(-1)).toBeGreaterThan(0.98);
  });
});

describe("profiles learned from residuals", () => {
  /** Student-t with 3 degrees of freedom, scaled to a standard deviation of 1. */
  const t3 = (rng: Rng) => {
    let c = 0;
    for (let i = 0; i < 3; i++) c += rng.normal() ** 2;
    return rng.normal() / Math.sqrt(c / 3) / Math.sqrt(3);
  };

  /** `days` days of a 48-slot profile, 6 observations a half-hour; returns the profile after each day. */
  function learnDays(truth: (slot: number) => number, dayDrift: number, noise: number, days: number, seed: number): (day: number) => { shrunk: number[]; raw: number[] } {
    const rng = createRng(seed);
    const p = emptyProfile(48, 1);
    const snapshots: Array<{ shrunk: number[]; raw: number[] }> = [];
    for (let d = 0; d < days; d++) {
      for (let s = 0; s < 48; s++) {
        const drift = dayDrift * rng.normal();
        for (let k = 0; k < 6; k++) learnSlot(p, s, truth(s) + drift + noise * t3(rng), T0 + d * DAY + s * 30 * MINUTE + 5 * k * MINUTE, MEMORY, noise * noise);
      }
      // Read at the end of the day: every slot's visit of the day has ended.
      const at = T0 + (d + 1) * DAY;
      snapshots.push({ shrunk: p.offset.map((_, s) => shrunkOffset(p, s, noise * noise, at)), raw: [...p.offset] });
    }
    return (day) => snapshots[day - 1]!;
  }
  const rms = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
  /** Least-squares factor of shrunk on raw offsets. */
  const factor = (s: { shrunk: number[]; raw: number[] }) => s.shrunk.reduce((a, x, i) => a + x * s.raw[i]!, 0) / s.raw.reduce((a, x) => a + x * x, 0);

  it("a clear daily pattern is used after its first day, and converges on the slots' true offsets", () => {
    // Offsets ±1 (a sine over the day, between-slot variance 0.5), day drift 0.3, noise 0.5.
    const truth = (s: number) => Math.sin((2 * Math.PI * s) / 48);
    const at = learnDays(truth, 0.3, 0.5, 14, 2);
    expect(factor(at(1))).toBeGreaterThan(0.85);
    // Two weeks: about 9 decayed visits, so a slot's offset is known to √((0.3² + 0.5²/6) / 9) = 0.12;
    // between = 0.5 is far larger, so the shrinkage keeps over 90 % and the error is that of the mean.
    const end = at(14);
    expect(factor(end)).toBeGreaterThan(0.9);
    expect(rms(end.shrunk.map((x, s) => x - truth(s)))).toBeLessThan(0.16);
  });

  it("without a pattern, day drifts are not mistaken for one once revisits have measured them", () => {
    // Every slot's true offset is 0; each visit drifts by 0.5 and observations are heavy-tailed.
    const at = learnDays(() => 0, 0.5, 0.5, 14, 3);
    expect(rms(at(14).raw)).toBeGreaterThan(0.05); // the raw offsets do scatter
    expect(rms(at(14).shrunk)).toBeLessThan(0.25 * rms(at(14).raw));
  });

  // BUG (seasonal.ts closeVisit): the visit noise is measured when a slot with an earlier visit closes one
  // ("once revisits have measured it"), tested as visits >= 1; but learnSlot has decayed that earlier visit
  // at the start of the revisit (1 day of a 7-day half-life: 0.91), so the first revisit measures nothing
  // and the noise is measured from the third visit. Until then the fallback (noise per observation over
  // the observations) treats day drifts as known offsets: on the second day, a profile without a pattern
  // keeps 80-97 % of its raw offsets (measured over 10 seeds, day drifts of 0.5-1).
  it.fails("the first revisit of the slots measures the noise of visit means", () => {
    const rng = createRng(4);
    const p = emptyProfile(48, 1);
    for (let d = 0; d < 2; d++) {
      for (let s = 0; s < 48; s++) {
        const drift = 0.5 * rng.normal();
        for (let k = 0; k < 6; k++) learnSlot(p, s, drift + 0.5 * t3(rng), T0 + d * DAY + s * 30 * MINUTE + 5 * k * MINUTE, MEMORY, 0.25);
      }
    }
    expect(p.visitNoise).toBeGreaterThan(0);
  });

  // BUG (seasonal.ts visits with baseline.ts's day-of-week profile): baseline.ts and docs/detection.md say
  // day-of-week offsets are used after two weeks / two visits (emptyProfile(7, 2)). A key seen at least every 20 minutes makes each day one
  // visit; each revisit decays the earlier visits by 6 days of a 7-day half-life (0.55), so during a visit
  // the completed visits tend to 0.55/(1 − 0.55) = 1.22 and never reach 2: the offsets are never used
  // (a key seen every 30 minutes instead makes every observation a visit and uses them in its first week).
  it.fails("a busy key's weekend offset is used from its third week (baseline.ts's day-of-week profile)", () => {
    const rng = createRng(5);
    const weekly = emptyBaseline().weekly;
    const weekend = (ms: number) => dayOfWeek(ms) === 0 || dayOfWeek(ms) === 6;
    // Weekends 1 below weekdays (log scale: 2.7x), noise 0.3; one observation every 5 minutes.
    let usedOnSaturdayOfWeek3 = 0;
    for (let t = T0; t <= T0 + 19 * DAY + 12 * HOUR; t += 5 * MINUTE) {
      if (t === T0 + 19 * DAY + 12 * HOUR) usedOnSaturdayOfWeek3 = shrunkOffset(weekly, dayOfWeek(t), 0.09, t);
      learnSlot(weekly, dayOfWeek(t), (weekend(t) ? -0.7 : 0.3) + 0.3 * rng.normal(), t, MEMORY, 0.09);
    }
    expect(usedOnSaturdayOfWeek3).toBeLessThan(-0.5);
  });
});
