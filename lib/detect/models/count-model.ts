// Expected count per event-time window, and quasi-Poisson CUSUMs for "more than usual" (x3), "less than
// usual" (/2) and "silent" (/20). The expectation is what the same time looked like before: the mean
// count of this hour of the week over past weeks once one week has been seen, of this half-hour of the
// day over past days until then, of all windows before that, times the minute-of-hour factor (the ratio
// of what each minute of the hour brings to what its hour usually brings, so hourly cron bursts are
// expected). Nights and weekends thus get their own expectation after one week, daily patterns after
// one day. Means of counts, not of their logs: a quiet hour is not underestimated. A side that alarms
// stays quiet until its statistic returns to 0 (the episode is over): a surge or an outage is one
// report, and its end is not a second one.
// The expectation is itself uncertain (one day's morning ramp says little about the next one's; a
// weekday's half-hour says little about a Saturday's), and the key's own record says how much: each
// half-hour's count is compared with what was expected for it, and the mean squared log ratio (half-life
// a day) is the expectation's error variance tau^2. The CUSUMs judge against the expectation moved one
// error in the side's direction (x e^tau for "up", / e^tau for "down" and "silent"): while the shape is
// still being learned only a change well beyond its misfit alarms; once it predicts well, tau is the
// half-hour's counting noise and the tests are as sharp as before.

export type CountSide = "up" | "down" | "silent";

/** Mean count per slot, each slot on its own clock; only visits that ended count as knowledge. */
export interface SlotMeans {
  mean: number[];
  /** Time-decayed windows behind each mean, completed visits, and when each slot last learned. */
  weight: number[];
  visits: number[];
  lastMs: number[];
}

export interface CountModel {
  windows: number;
  /** Mean count per window, all windows; and over the last hour (the expectation before a time of day has been seen). */
  level: number;
  recent: number;
  dispersion: number;
  weekly: SlotMeans;
  daily: SlotMeans;
  /** Decayed counts per minute of the hour, and what the time-of-week means expected there. */
  minuteCounts: number[];
  minuteExpected: number[];
  up: number;
  down: number;
  silent: number;
  upSince: number;
  downSince: number;
  silentSince: number;
  reported: CountSide[];
  /** The half-hour being counted (index since the epoch), its count and what was expected for it. */
  halfHour: number;
  halfHourCount: number;
  halfHourExpected: number;
  /** Mean squared log ratio of a half-hour's count to its expectation, and the half-hours behind it. */
  expectationError: number;
  expectationHalfHours: number;
}

export interface CountParams {
  windowMs: number;
  /** Half-life of the level in windows, and of the slot means and minute factors in time. */
  levelHalfLife: number;
  slotHalfLifeMs: number;
  minWindows: number;
}

export interface CountSignal {
  side: CountSide;
  /** CUSUM evidence (bits), and the start of the episode. */
  bits: number;
  sinceMs: number;
  expected: number;
}

const HALF_HOUR = 1_800_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_DISPERSION = 50;
const LN3 = Math.log(3);
/** The recent level forgets with a half-life of an hour of 30-second windows. */
const RECENT_RATE = 1 - Math.pow(2, -1 / 120);
/** A slot's observations further apart than this belong to different visits. */
const VISIT_GAP_MS = 20 * 60_000;
/** Drops and silences are judged only where at least this many events per window are expected. */
const MIN_EXPECTED_FOR_DROP = 0.5;
/** The expectation's error forgets with a half-life of a day of half-hours. */
const ERROR_RATE = 1 - Math.pow(2, -1 / 48);

const slotMeans = (n: number): SlotMeans => ({ mean: new Array(n).fill(0), weight: new Array(n).fill(0), visits: new Array(n).fill(0), lastMs: new Array(n).fill(0) });

export function emptyCountModel(): CountModel {
  return {
    windows: 0, level: 0, recent: 0, dispersion: 1, weekly: slotMeans(168), daily: slotMeans(48), minuteCounts: new Array(60).fill(0), minuteExpected: new Array(60).fill(0),
    up: 0, down: 0, silent: 0, upSince: 0, downSince: 0, silentSince: 0, reported: [],
    halfHour: -1, halfHourCount: 0, halfHourExpected: 0, expectationError: 0, expectationHalfHours: 0,
  };
}

/** A model saved before a field existed gets that field's empty value. */
export function countModelFromJson(j: Partial<CountModel> | undefined): CountModel {
  return { ...emptyCountModel(), ...j };
}

const halfHourOfDay = (ms: number) => ((Math.floor(ms / HALF_HOUR) % 48) + 48) % 48;
/** Hour of the week, 0 = Sunday 00:00 UTC (1970-01-01 was a Thursday). */
const hourOfWeek = (ms: number) => ((Math.floor((ms + 4 * DAY) / HOUR) % 168) + 168) % 168;
const minuteOfHour = (ms: number) => ((Math.floor(ms / 60_000) % 60) + 60) % 60;

/** Visits of a slot that have ended by `atMs` (the current one ends when the gap has passed). */
function endedVisits(s: SlotMeans, slot: number, atMs: number): number {
  const last = s.lastMs[slot]!;
  return s.visits[slot]! + (last > 0 && atMs - last > VISIT_GAP_MS ? 1 : 0);
}

function learnSlot(s: SlotMeans, slot: number, x: number, atMs: number, halfLifeMs: number): void {
  const last = s.lastMs[slot]!;
  const elapsed = last > 0 ? Math.max(0, atMs - last) : 0;
  if (last > 0 && elapsed > VISIT_GAP_MS) s.visits[slot] = s.visits[slot]! * Math.pow(2, -elapsed / halfLifeMs) + 1;
  const w = s.weight[slot]! * Math.pow(2, -elapsed / halfLifeMs) + 1;
  s.weight[slot] = w;
  s.mean[slot]! += (x - s.mean[slot]!) / w;
  s.lastMs[slot] = Math.max(last, atMs);
}

/** Expected count of the window from the time of week alone (no minute factor). */
function timeOfWeekExpectation(m: CountModel, ms: number): number {
  const week = hourOfWeek(ms);
  if (endedVisits(m.weekly, week, ms) >= 1) return m.weekly.mean[week]!;
  const day = halfHourOfDay(ms);
  if (endedVisits(m.daily, day, ms) >= 1) return m.daily.mean[day]!;
  return m.recent;
}

/**
 * Ratio of a minute of the hour's counts to what the time of week expected there, relative to the same
 * ratio over the whole hour (so the factors average 1 and only the shape within the hour remains),
 * once a day of hours backs it (1 until then).
 */
function minuteFactor(m: CountModel, ms: number): number {
  const minute = minuteOfHour(ms);
  const expected = m.minuteExpected[minute]!;
  // A day of hours at one event per window makes a ratio known to about 20 %.
  if (expected < 24) return 1;
  let counts = 0;
  let expectedAll = 0;
  for (let i = 0; i < 60; i++) {
    counts += m.minuteCounts[i]!;
    expectedAll += m.minuteExpected[i]!;
  }
  if (!(counts > 0)) return 1;
  return m.minuteCounts[minute]! / expected / (counts / expectedAll);
}

/** Expected count of the window starting at `ms`. */
export function expectedCount(m: CountModel, ms: number): number {
  if (m.windows === 0) return 0;
  return timeOfWeekExpectation(m, ms) * minuteFactor(m, ms);
}

/**
 * Closes one window with count x (starting at windowMs): updates the CUSUMs against the expectation,
 * then learns the window. Returns the side that alarms at `thresholdBits` (once per episode), or null.
 */
export function observeCount(m: CountModel, x: number, windowMs: number, p: CountParams, thresholdBits: number): CountSignal | null {
  const expected = expectedCount(m, windowMs);
  let signal: CountSignal | null = null;
  if (m.windows >= p.minWindows && expected > 0) {
    const margin = Math.exp(Math.sqrt(m.expectationError));
    const high = expected * margin;
    const low = expected / margin;
    const phi = m.dispersion;
    const judgesDrops = low >= MIN_EXPECTED_FOR_DROP;
    // Log-likelihood ratios (nats) of rate x3, /2 and /20 against the expected rate (quasi-Poisson). Up is x3,
    // not x2: a morning ramp or a busy afternoon doubles traffic within the hour without anything being wrong.
    const llr = { up: (x * LN3 - 2 * high) / phi, down: judgesDrops ? (-x * Math.LN2 + low / 2) / phi : 0, silent: judgesDrops ? (x * Math.log(0.05) + 0.95 * low) / phi : 0 };
    for (const side of ["up", "down", "silent"] as const) {
      const before = m[side];
      const next = Math.max(0, before + llr[side]);
      if (before === 0 && next > 0) m[`${side}Since`] = windowMs;
      m[side] = next;
      if (next === 0) m.reported = m.reported.filter((s) => s !== side);
    }
    for (const side of ["silent", "down", "up"] as const) {
      if (m[side] / Math.LN2 >= thresholdBits && !m.reported.includes(side)) {
        signal = { side, bits: m[side] / Math.LN2, sinceMs: m[`${side}Since`], expected };
        m.reported.push(side);
        // A silence is also a drop: one report for the episode.
        if (side === "silent" && !m.reported.includes("down")) m.reported.push("down");
        break;
      }
    }
  }
  learnCount(m, x, windowMs, expected, p);
  return signal;
}

/** Adds the window to its half-hour; a half-hour that has ended updates the expectation's error. */
function learnExpectationError(m: CountModel, x: number, windowMs: number, expected: number): void {
  const halfHour = Math.floor(windowMs / HALF_HOUR);
  if (halfHour !== m.halfHour) {
    if (m.halfHour >= 0 && m.halfHourExpected > 0) {
      const e = Math.log((m.halfHourCount + 1) / (m.halfHourExpected + 1));
      const a = Math.max(1 / (m.expectationHalfHours + 1), ERROR_RATE);
      m.expectationError += a * (e * e - m.expectationError);
      m.expectationHalfHours += 1;
    }
    m.halfHour = halfHour;
    m.halfHourCount = 0;
    m.halfHourExpected = 0;
  }
  m.halfHourCount += x;
  m.halfHourExpected += expected;
}

function learnCount(m: CountModel, x: number, windowMs: number, expected: number, p: CountParams): void {
  if (m.windows > 0) learnExpectationError(m, x, windowMs, expected);
  // Learn a winsorized count once warm: a surge must not teach that surges are normal.
  const sd = Math.sqrt(m.dispersion * Math.max(expected, 0.5));
  const capped = m.windows >= p.minWindows ? Math.min(x, expected + 4 * sd + 1) : x;
  const a = Math.max(1 / (m.windows + 1), 1 - Math.pow(2, -1 / p.levelHalfLife));
  m.level += a * (capped - m.level);
  m.recent += Math.max(1 / (m.windows + 1), RECENT_RATE) * (capped - m.recent);
  const minute = minuteOfHour(windowMs);
  const keep = Math.pow(2, -p.windowMs / p.slotHalfLifeMs);
  m.minuteCounts[minute] = m.minuteCounts[minute]! * keep + capped;
  m.minuteExpected[minute] = m.minuteExpected[minute]! * keep + timeOfWeekExpectation(m, windowMs);
  // The time-of-week means learn the count without its minute-of-hour share (a cron burst is the minute's).
  const base = capped / Math.max(minuteFactor(m, windowMs), 0.05);
  learnSlot(m.weekly, hourOfWeek(windowMs), base, windowMs, p.slotHalfLifeMs);
  learnSlot(m.daily, halfHourOfDay(windowMs), base, windowMs, p.slotHalfLifeMs);
  if (m.windows > 0 && expected > 0 && m.reported.length === 0) {
    // Windows of a reported episode teach the dispersion nothing: a surge must not blunt the outage test
    // that follows it for the rest of the day.
    const loose = Math.min(x, expected + 10 * sd + 1);
    // The dispersion forgets faster than the level (a day), so the misfit of the first days does not linger.
    const aDispersion = Math.max(1 / (m.windows + 1), 1 - Math.pow(2, -7 / p.levelHalfLife));
    m.dispersion = Math.min(MAX_DISPERSION, Math.max(1, m.dispersion + aDispersion * ((loose - expected) ** 2 / Math.max(expected, 0.5) - m.dispersion)));
  }
  m.windows += 1;
}
