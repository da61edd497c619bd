// A seasonal profile: one residual offset per slot (half-hour of the day, day of the week), used
// through empirical-Bayes shrinkage: an offset counts in proportion to how much the slots really differ
// (the between-slot variance) against how well the slot's own offset is known. Observations within one
// visit of a slot (the same half-hour of the same day) share that day's drift, so what a slot knows
// grows with its visits, not its observations, and its noise is the spread of visit means. With no
// pattern the offsets stay near 0; with a clear one they are used after a few visits.

export interface SeasonalProfile {
  offset: number[];
  /** Time-decayed observations behind each offset (its learning rate), and decayed completed visits (what it knows). */
  weight: number[];
  visits: number[];
  lastMs: number[];
  /** The slot being visited now, and the residual sum and count of that visit. */
  current: number;
  currentSum: number;
  currentCount: number;
  /** Completed visits a slot needs before its offset is used. */
  minVisits: number;
  /** Variance of a visit's mean around its slot's offset, and the between-slot variance (refreshed periodically). */
  visitNoise: number;
  between: number;
  sinceRefresh: number;
}

export interface SeasonalMemory {
  halfLifeMs: number;
  /** A slot never forgets faster than this many of its own observations. */
  minHalfLifeObservations: number;
}

const REFRESH_EVERY = 32;
/** A slot's observations further apart than this belong to different visits. */
const VISIT_GAP_MS = 20 * 60_000;

export function emptyProfile(slots: number, minVisits: number): SeasonalProfile {
  const zeros = () => new Array(slots).fill(0);
  return { offset: zeros(), weight: zeros(), visits: zeros(), lastMs: zeros(), current: -1, currentSum: 0, currentCount: 0, minVisits, visitNoise: 0, between: 0, sinceRefresh: 0 };
}

const HALF_HOUR = 1_800_000;
const DAY = 86_400_000;

/** Half-hour of the UTC day (0..47). */
export function halfHourOf(ms: number): number {
  return (((Math.floor(ms / HALF_HOUR) % 48) + 48) % 48);
}

/** UTC day of week (0 = Sunday; 1970-01-01 was a Thursday). */
export function dayOfWeek(ms: number): number {
  return (((Math.floor(ms / DAY) + 4) % 7) + 7) % 7;
}

/** Completed visits of a slot as of `atMs` (the visit under way counts once its gap has passed). */
export function completedVisits(p: SeasonalProfile, slot: number, atMs: number): number {
  const pendingDone = slot === p.current && p.currentCount > 0 && atMs - p.lastMs[slot]! > VISIT_GAP_MS ? 1 : 0;
  return p.visits[slot]! + pendingDone;
}

/** The slot's offset at time `atMs`, shrunk by how well it is known relative to how much slots differ. */
export function shrunkOffset(p: SeasonalProfile, slot: number, fallbackNoise: number, atMs: number): number {
  const v = completedVisits(p, slot, atMs);
  if (v < p.minVisits || !(p.between > 0)) return 0;
  return (p.offset[slot]! * p.between) / (p.between + offsetNoise(p, slot, v, fallbackNoise));
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
  const elapsed = last > 0 ? Math.max(0, atMs - last) : 0;
  if (slot !== p.current || elapsed > VISIT_GAP_MS) {
    closeVisit(p);
    // A new visit of this slot: what its earlier visits taught fades with the time since them.
    p.visits[slot] = p.visits[slot]! * Math.pow(2, -elapsed / m.halfLifeMs);
  }
  const keep = Math.max(Math.pow(2, -elapsed / m.halfLifeMs), Math.pow(2, -1 / m.minHalfLifeObservations));
  const w = p.weight[slot]! * keep + 1;
  p.weight[slot] = w;
  p.offset[slot]! += (residual - p.offset[slot]!) / w;
  p.current = slot;
  p.currentSum += residual;
  p.currentCount += 1;
  p.lastMs[slot] = Math.max(last, atMs);
  if (++p.sinceRefresh >= REFRESH_EVERY) refreshBetween(p, fallbackNoise, atMs);
}

/** Ends the visit under way: its mean residual, against the offset, tells how noisy visit means are. */
function closeVisit(p: SeasonalProfile): void {
  const slot = p.current;
  if (slot >= 0 && p.currentCount > 0) {
    if (p.visits[slot]! >= 1) {
      const gap = p.currentSum / p.currentCount - p.offset[slot]!;
      p.visitNoise = p.visitNoise > 0 ? p.visitNoise + 0.05 * (gap * gap - p.visitNoise) : gap * gap;
    }
    p.visits[slot] = p.visits[slot]! + 1;
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
    const v = completedVisits(p, s, atMs);
    if (v < p.minVisits) continue;
    total += v;
    mean += v * p.offset[s]!;
    slots += 1;
  }
  if (slots < 2) {
    p.between = 0;
    return;
  }
  mean /= total;
  let spread = 0;
  let noise = 0;
  for (let s = 0; s < p.offset.length; s++) {
    const v = completedVisits(p, s, atMs);
    if (v < p.minVisits) continue;
    spread += (v * (p.offset[s]! - mean) ** 2) / total;
    noise += offsetNoise(p, s, v, fallbackNoise) / slots;
  }
  p.between = Math.max(0, spread - noise);
}
