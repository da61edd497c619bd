// A seasonal profile: one residual offset per slot (half-hour of the day, day of the week), used
// through empirical-Bayes shrinkage: an offset counts in proportion to how much the slots really differ
// (the between-slot variance) against how well the slot's own offset is known. A visit of a slot is one
// occurrence of it in time (one day's half-hour for the daily profile, one day for the weekly one),
// however often the key is observed within it: its observations share that occurrence's drift, so what
// a slot knows grows with its visits, not its observations, and its noise is the spread of visit means.
// With no pattern the offsets stay near 0; with a clear one they are used after a few visits.

export interface SeasonalProfile {
  offset: number[];
  /** Time-decayed observations behind each offset (its learning rate). */
  weight: number[];
  /**
   * Completed visits, decayed per elapsed cycle of the slot (what the offset knows): the last completed
   * visit counts 1, the one a cycle before q = 2^(−cycle/half-life), and so on, so the count grows to
   * 1/(1 − q) whatever the key's observation rate (10.6 for half-hours, 2 for weekdays at a week's half-life).
   */
  visits: number[];
  /** Completed visits, undecayed: the distinct occurrences of each slot seen (the minimum-visits rule).
   * Absent from profiles saved before it existed: their decayed count stands in. */
  seen?: number[];
  lastMs: number[];
  /** The slot being visited now, and the residual sum and count of that visit. */
  current: number;
  currentSum: number;
  currentCount: number;
  /** The current slot's offset when its visit began (what its earlier visits taught), and the decay its
   * earlier visits take when this one completes (the cycle since the previous one). Absent in old state. */
  currentBase?: number;
  currentDecay?: number;
  /** Distinct completed visits a slot needs before its offset is used. */
  minVisits: number;
  /** Variance of a visit's mean around its slot's offset, the revisits that measured it (absent in old state),
   * and the between-slot variance (refreshed periodically). */
  visitNoise: number;
  noiseSamples?: number;
  between: number;
  sinceRefresh: number;
  /** The cycle the slots divide into equal occurrences (a day for half-hours, a week for weekdays). Absent in
   * old state: taken from the number of slots. */
  cycleMs?: number;
}

export interface SeasonalMemory {
  halfLifeMs: number;
  /** A slot never forgets faster than this many of its own observations. */
  minHalfLifeObservations: number;
}

const REFRESH_EVERY = 32;
/** The visit noise is a plain mean of its first revisits, then a moving average of this rate. */
const NOISE_RATE = 0.05;

const HALF_HOUR = 1_800_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** The cycle of a profile of `slots` slots: 7 are the days of a week, any other number divides a day. */
function defaultCycle(slots: number): number {
  return slots === 7 ? WEEK : DAY;
}

export function emptyProfile(slots: number, minVisits: number, cycleMs: number = defaultCycle(slots)): SeasonalProfile {
  const zeros = () => new Array<number>(slots).fill(0);
  return {
    offset: zeros(), weight: zeros(), visits: zeros(), seen: zeros(), lastMs: zeros(), current: -1, currentSum: 0, currentCount: 0, currentBase: 0, currentDecay: 1,
    minVisits, visitNoise: 0, noiseSamples: 0, between: 0, sinceRefresh: 0, cycleMs,
  };
}

/** Half-hour of the UTC day (0..47). */
export function halfHourOf(ms: number): number {
  return (((Math.floor(ms / HALF_HOUR) % 48) + 48) % 48);
}

/** UTC day of week (0 = Sunday; 1970-01-01 was a Thursday). */
export function dayOfWeek(ms: number): number {
  return (((Math.floor(ms / DAY) + 4) % 7) + 7) % 7;
}

function cycleOf(p: SeasonalProfile): number {
  return p.cycleMs ?? defaultCycle(p.offset.length);
}

/** Length of one occurrence of a slot: a half-hour of the daily profile, a day of the weekly one. */
function occurrenceMs(p: SeasonalProfile): number {
  return cycleOf(p) / p.offset.length;
}

/** Index of the occurrence (of whichever slot) that `ms` falls in: UTC half-hours, or UTC days for weekdays. */
function occurrenceOf(p: SeasonalProfile, ms: number): number {
  return Math.floor(ms / occurrenceMs(p));
}

/** Has the visit under way (of `slot`) completed by `atMs`: has the occurrence it belongs to ended? */
function pendingDone(p: SeasonalProfile, slot: number, atMs: number): boolean {
  return slot === p.current && p.currentCount > 0 && occurrenceOf(p, atMs) > occurrenceOf(p, p.lastMs[slot]!);
}

function seenOf(p: SeasonalProfile, slot: number): number {
  return p.seen ? p.seen[slot]! : p.visits[slot]!;
}

/**
 * Decayed completed visits of a slot as of `atMs` (the visit under way counts once its occurrence has ended).
 * Cycles the slot missed since its last visit are taken off when it is next visited.
 */
export function completedVisits(p: SeasonalProfile, slot: number, atMs: number): number {
  return pendingDone(p, slot, atMs) ? p.visits[slot]! * (p.currentDecay ?? 1) + 1 : p.visits[slot]!;
}

/** Distinct occurrences of a slot seen and completed as of `atMs`: what the minimum-visits rule counts. */
export function distinctVisits(p: SeasonalProfile, slot: number, atMs: number): number {
  return seenOf(p, slot) + (pendingDone(p, slot, atMs) ? 1 : 0);
}

/** The slot's offset at time `atMs`, shrunk by how well it is known relative to how much slots differ. */
export function shrunkOffset(p: SeasonalProfile, slot: number, fallbackNoise: number, atMs: number): number {
  if (distinctVisits(p, slot, atMs) < p.minVisits || !(p.between > 0)) return 0;
  return (p.offset[slot]! * p.between) / (p.between + offsetNoise(p, slot, completedVisits(p, slot, atMs), fallbackNoise));
}

/**
 * Variance of a slot's offset estimate: the spread of visit means over the visits, once revisits have
 * measured it; until then the per-observation noise over the slot's observations.
 */
function offsetNoise(p: SeasonalProfile, slot: number, visits: number, fallbackNoise: number): number {
  return p.visitNoise > 0 ? p.visitNoise / visits : fallbackNoise / Math.max(1, p.weight[slot]!);
}

/** Learns a residual for a slot (in place). */
export function learnSlot(p: SeasonalProfile, slot: number, residual: number, atMs: number, m: SeasonalMemory, fallbackNoise: number): void {
  const last = p.lastMs[slot]!;
  const known = p.weight[slot]! > 0;
  const occurrence = occurrenceOf(p, atMs);
  const lastOccurrence = occurrenceOf(p, last);
  // One visit per occurrence of the slot; an observation of an occurrence already left behind (arriving
  // late) teaches the offset but is no visit.
  const inCurrent = slot === p.current && p.currentCount > 0 && occurrence === lastOccurrence;
  const startsVisit = !inCurrent && (!known || occurrence > lastOccurrence);
  if (startsVisit) {
    closeVisit(p);
    // The earlier visits fade per elapsed cycle of the slot: by the cycles it missed now (a revisit after a
    // long absence knows less), by the last one when this visit completes (until then the previous visit
    // is the freshest knowledge, and counts 1).
    const cycle = cycleOf(p);
    const sinceMs = known ? (occurrence - lastOccurrence) * occurrenceMs(p) : 0;
    if (sinceMs > cycle) p.visits[slot] = p.visits[slot]! * Math.pow(2, -(sinceMs - cycle) / m.halfLifeMs);
    p.currentDecay = Math.pow(2, -Math.min(sinceMs, cycle) / m.halfLifeMs);
    p.currentBase = p.offset[slot]!;
    p.current = slot;
  }
  const elapsed = last > 0 ? Math.max(0, atMs - last) : 0;
  const keep = Math.max(Math.pow(2, -elapsed / m.halfLifeMs), Math.pow(2, -1 / m.minHalfLifeObservations));
  const w = p.weight[slot]! * keep + 1;
  p.weight[slot] = w;
  p.offset[slot]! += (residual - p.offset[slot]!) / w;
  if (inCurrent || startsVisit) {
    p.currentSum += residual;
    p.currentCount += 1;
  }
  p.lastMs[slot] = Math.max(last, atMs);
  if (++p.sinceRefresh >= REFRESH_EVERY) refreshBetween(p, fallbackNoise, atMs);
}

/**
 * Ends the visit under way. On a revisit its mean, against what the earlier visits taught (the offset
 * when it began), tells how noisy visit means are: that gap varies by the visit noise plus the offset's
 * own uncertainty (the noise over the earlier visits), which is taken out.
 */
function closeVisit(p: SeasonalProfile): void {
  const slot = p.current;
  if (slot >= 0 && p.currentCount > 0) {
    if (seenOf(p, slot) > 0) {
      const earlier = p.visits[slot]!;
      const gap = p.currentSum / p.currentCount - (p.currentBase ?? p.offset[slot]!);
      const sample = (gap * gap * earlier) / (earlier + 1);
      const n = p.noiseSamples ?? (p.visitNoise > 0 ? 1 / NOISE_RATE : 0);
      p.visitNoise += Math.max(NOISE_RATE, 1 / (n + 1)) * (sample - p.visitNoise);
      p.noiseSamples = n + 1;
    }
    const seen = p.seen ?? (p.seen = [...p.visits]);
    seen[slot] = seen[slot]! + 1;
    p.visits[slot] = p.visits[slot]! * (p.currentDecay ?? 1) + 1;
  }
  p.currentSum = 0;
  p.currentCount = 0;
}

/** Between-slot variance: the spread of the offsets minus what their estimation noise explains. */
function refreshBetween(p: SeasonalProfile, fallbackNoise: number, atMs: number): void {
  p.sinceRefresh = 0;
  let total = 0;
  let mean = 0;
  let slots = 0;
  for (let s = 0; s < p.offset.length; s++) {
    if (distinctVisits(p, s, atMs) < p.minVisits) continue;
    const v = completedVisits(p, s, atMs);
    total += v;
    mean += v * p.offset[s]!;
    slots += 1;
  }
  if (slots < 2 || !(total > 0)) {
    p.between = 0;
    return;
  }
  mean /= total;
  let spread = 0;
  let noise = 0;
  for (let s = 0; s < p.offset.length; s++) {
    if (distinctVisits(p, s, atMs) < p.minVisits) continue;
    const v = completedVisits(p, s, atMs);
    // Both weighted by visits: a slot revisited after a long absence (few decayed visits) does not swamp the rest.
    spread += (v * (p.offset[s]! - mean) ** 2) / total;
    if (v > 0) noise += (v * offsetNoise(p, s, v, fallbackNoise)) / total;
  }
  p.between = Math.max(0, spread - noise);
}
