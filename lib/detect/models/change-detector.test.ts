// CUSUMs on the normal scores a baseline feeds them (baseline.ts: scores through the learned
// distribution, the autocorrelation learned at the spread's rate). Under "nothing changed" the scores
// are standard normal, but not independent: level scores of a persistent series are correlated.
import { probit } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { changeThresholdBits, DEFAULT_TESTS_PER_TRACE } from "../budget";
import { DEFAULT_SETTINGS } from "../settings";
import { DEFAULT_BASELINE_PARAMS, learningRate } from "./baseline";
import { changeEvidenceBits, emptyChangeState, LEVEL_REFERENCE, observeChange, type ChangeAlarm, type ChangeState } from "./change-detector";
import { createRng, type Rng } from "./rng";

/** The threshold score-spans.ts uses for a project whose traces bring the default 25 observations (22.3 bits). */
const BITS = changeThresholdBits(DEFAULT_SETTINGS, DEFAULT_TESTS_PER_TRACE);
const H = BITS * Math.LN2; // in nats, the CUSUMs' unit
const K = LEVEL_REFERENCE;
/** baseline.ts passes the spread's learning rate; a key seen every 10 minutes gets its fastest (1/288 at most). */
const rate = (n: number) => learningRate(DEFAULT_BASELINE_PARAMS.spread, n, 10 * 60_000);
/** Observations before which the baseline keeps the CUSUMs off (minHistory). */
const COLD = 50;

interface Scores {
  level: number;
  error: number;
  /** Deviation on the metric's own scale (the shift estimate is its mean). */
  deviation?: number;
}
type Draw = (rng: Rng) => Scores;

interface Alarmed extends ChangeAlarm {
  at: number;
}

/** Feeds n observations (at times from..from+n-1) and returns the alarms (up to the first, with `first`). */
function feed(c: ChangeState, rng: Rng, n: number, draw: Draw, opts: { from?: number; bits?: number; rate?: (i: number) => number; first?: boolean } = {}): Alarmed[] {
  const from = opts.from ?? 0;
  const alarms: Alarmed[] = [];
  for (let i = from; i < from + n; i++) {
    const s = draw(rng);
    const a = observeChange(c, { levelScore: s.level, errorScore: s.error, deviation: s.deviation ?? s.level, atMs: i, rate: (opts.rate ?? rate)(i) }, opts.bits ?? BITS, i >= COLD);
    if (a) alarms.push({ ...a, at: i });
    if (a && opts.first) break;
  }
  return alarms;
}

const iid: Draw = (rng) => ({ level: rng.normal(), error: rng.normal() });
/** Level scores of an AR(1) series with lag-1 correlation r (still standard normal one by one). */
function persistent(r: number): Draw {
  let last = 0;
  return (rng) => {
    last = r * last + Math.sqrt(1 - r * r) * rng.normal();
    return { level: last, error: rng.normal() };
  };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("nothing changed: no alarm at the default threshold", () => {
  // Each side's increment is an exact log-likelihood ratio (level: N(2k, 1) against N(0, 1); variance: N(0, 4)
  // or N(0, 1/4) against N(0, 1)), so a side alarms less than once per 2^BITS observations (Wald): 100,000
  // observations on 4 sides expect fewer than 0.06 alarms.
  it.each([
    { name: "independent scores", draw: iid, n: 100_000 },
    { name: "a persistent series (level scores with lag-1 correlation 0.9)", draw: persistent(0.9), n: 100_000 },
    { name: "a mildly persistent series (correlation 0.5)", draw: persistent(0.5), n: 50_000 },
  ])("$name ($n observations)", ({ draw, n }) => {
    const c = emptyChangeState();
    expect(feed(c, createRng(1), n, draw)).toEqual([]);
  });

  it("the false-alarm rate stays under 2^-bits per side at a low threshold too", () => {
    // At 8 bits the bound is 4 sides x 30,000 / 256 = 469 alarms (an alarm restarts every side); the CUSUMs'
    // run lengths are longer than Wald's bound, and about a tenth of it is measured.
    const bits = 8;
    const n = 30_000;
    for (const draw of [iid, persistent(0.9)]) {
      const alarms = feed(emptyChangeState(), createRng(2), n, draw, { bits });
      expect(alarms.length).toBeLessThan((4 * n) / 2 ** bits);
    }
  });

  it("the persistence correction is what keeps a correlated series quiet", () => {
    // The same series with the autocorrelation never learned (rate 0: the level sides take scores at face
    // value) alarms over and over: sums of correlated scores vary (1 + r)/(1 - r) = 19 times more.
    const uncorrected = feed(emptyChangeState(), createRng(1), 20_000, persistent(0.9), { rate: () => 0 });
    expect(uncorrected.length).toBeGreaterThan(20);
    expect(new Set(uncorrected.map((a) => a.kind))).toEqual(new Set(["level_up", "level_down"]));
    const c = emptyChangeState();
    expect(feed(c, createRng(1), 20_000, persistent(0.9))).toEqual([]);
    // What it learned: the lag-1 correlation of the level scores (0.9), and for the squared differences of
    // independent error scores 1/4 (successive differences share a score: correlation −1/2, squared 1/4).
    expect(c.levelScoreLagCov / c.levelScoreVar).toBeGreaterThan(0.8);
    expect(c.squareLagCov / c.squareVar).toBeGreaterThan(0.1);
    expect(c.squareLagCov / c.squareVar).toBeLessThan(0.4);
  });

  it("volatility clustering: the correlation of the squares cuts the false variance alarms (but not to the budget)", () => {
    // GARCH(1,1) errors (α = 0.1, β = 0.85, as in financial returns), each through the series' own
    // distribution (ranks to normal scores, as the baseline's learned distribution does): marginally standard
    // normal, but large squares cluster. Shrinking by the learned lag-1 correlation of the squares removes
    // most false alarms; not all: 19-34 per 100,000 (seeds 1-3) against 0.06 in the budget, as one lag
    // understates the long-run variance of a slowly decaying GARCH correlation.
    const n = 30_000;
    const rng = createRng(6);
    const raw: number[] = [];
    let variance = 1;
    let x = 0;
    for (let i = 0; i < n; i++) {
      variance = 0.05 + 0.1 * x * x + 0.85 * variance;
      x = Math.sqrt(variance) * rng.normal();
      raw.push(x);
    }
    const order = raw.map((_, i) => i).sort((a, b) => raw[a]! - raw[b]!);
    const scores = new Array<number>(n);
    order.forEach((i, r) => (scores[i] = probit((r + 0.5) / n)));
    const run = (r: (i: number) => number) => {
      let i = 0;
      const levels = createRng(7);
      return feed(emptyChangeState(), levels, n, (g) => ({ level: g.normal(), error: scores[i++]! }), { rate: r });
    };
    const corrected = run(rate);
    const uncorrected = run(() => 0);
    expect(uncorrected.length).toBeGreaterThan(5);
    expect(corrected.length).toBeLessThan(uncorrected.length / 2);
    expect(corrected.every((a) => a.kind.startsWith("variance"))).toBe(true);
  });

  it("a persistent misfit of half a score does not accumulate", () => {
    // The level side gains 2k(q − k) a score: with q = 0.5 on average and k = 0.75, −0.375 nats each.
    const c = emptyChangeState();
    expect(feed(c, createRng(3), 20_000, (rng) => ({ level: 0.5 + rng.normal(), error: rng.normal() }))).toEqual([]);
  });

  it("a lasting step in the error scores is not a change of spread", () => {
    // The variance sides read differences of successive scores, which see the step once: one d² of about 4.5,
    // about 1 nat on the up side against the 15.7 it needs (a jump is for the level sides).
    const c = emptyChangeState();
    feed(c, createRng(4), 2000, iid);
    expect(feed(c, createRng(5), 10_000, (rng) => ({ level: rng.normal(), error: 3 + rng.normal() }), { from: 2000 })).toEqual([]);
  });
});

describe("a lasting level shift is reported once, within the delay its drift implies", () => {
  // After the shift the level side gains 2k(δ − k) nats a score on average, so it crosses H after about
  // H / (2k(δ − k)) scores. Over 200 seeds the mean delay was 1.1-1.2x that (the statistic starts at 0 and
  // overshoots) and the longest 2.9x (δ = 1.5), 2.1x (δ = 2); the bounds: mean 1.5x, each 3.5x, plus 2.
  it.each([
    { delta: 1.5, kind: "level_up" },
    { delta: 2, kind: "level_up" },
    { delta: 3, kind: "level_up" },
    { delta: -2, kind: "level_down" },
  ])("a shift of $delta standard scores is one $kind alarm", ({ delta, kind }) => {
    const expected = H / (2 * K * (Math.abs(delta) - K));
    const scale = 0.1; // the deviation on the metric's scale is 0.1 per standard score
    const delays: number[] = [];
    const estimates: number[] = [];
    const starts: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(100 + seed);
      const c = emptyChangeState();
      const start = 1000;
      const before = feed(c, rng, start, (r) => {
        const l = r.normal();
        return { level: l, error: r.normal(), deviation: scale * l };
      });
      expect(before).toEqual([]);
      const shifted: Draw = (r) => {
        const l = delta + r.normal();
        return { level: l, error: r.normal(), deviation: scale * l };
      };
      const after = feed(c, rng, 500, shifted, { from: start, first: true });
      expect(after).toHaveLength(1);
      const alarm = after[0]!;
      expect(alarm.kind).toBe(kind);
      expect(alarm.bits).toBeGreaterThanOrEqual(BITS);
      delays.push(alarm.at - start + 1);
      estimates.push(alarm.estimate);
      starts.push(alarm.sinceMs - start);
      expect(alarm.at - alarm.sinceMs + 1).toBe(alarm.count);
      if (seed === 0) {
        // Every side restarts: further alarms need fresh evidence. Once the model has moved to the new level
        // (baseline.ts re-baselines), the scores are centred again and nothing more is reported.
        expect([c.levelUp, c.levelDown, c.varianceUp].map((side) => side.stat)).toEqual([0, 0, 0]);
        expect(changeEvidenceBits(c)).toBe(0);
        expect(feed(c, rng, 10_000, iid, { from: alarm.at + 1 })).toEqual([]);
      }
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(3.5 * expected + 2);
    expect(mean(delays)).toBeLessThanOrEqual(1.5 * expected + 2);
    // Where it began: the CUSUM's last zero, within a few scores of the shift (90 % within 4 over 200 seeds).
    expect(Math.abs(median(starts))).toBeLessThanOrEqual(2);
    // How large: the mean deviation since then, within 20 % of the shift (it includes a few scores before it).
    expect(median(estimates) / (scale * delta)).toBeGreaterThan(0.8);
    expect(median(estimates) / (scale * delta)).toBeLessThan(1.2);
  });
});

describe("a change of spread", () => {
  // The variance side reads d = the difference of successive error scores / √2. Under independence the learned
  // lag-1 correlation of d² − 1 is 1/4 (see above), so its deviation from 1 is shrunk by f = √(0.75/1.25) = 0.77.
  // With the errors' standard deviation s, E[d²] = s²: the side gains 0.375(1 + (s² − 1)f) − ln 2 nats a
  // score. Over 200 seeds the mean delay was 1.2x H over that gain and the longest 3.2x (the gains are
  // chi-square: a few large squares decide); bounds: mean 1.5x, each 4x.
  const f = Math.sqrt(0.75 / 1.25);
  const gain = (s2: number) => 0.375 * (1 + (s2 - 1) * f) - Math.LN2;

  it("errors with twice the standard deviation are one variance_up alarm", () => {
    const sd = 2;
    const expected = H / gain(sd * sd);
    const delays: number[] = [];
    const estimates: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(500 + seed);
      const c = emptyChangeState();
      expect(feed(c, rng, 2000, iid)).toEqual([]);
      const after = feed(c, rng, 1000, (r) => ({ level: r.normal(), error: sd * r.normal() }), { from: 2000, first: true });
      expect(after).toHaveLength(1);
      expect(after[0]!.kind).toBe("variance_up");
      delays.push(after[0]!.at - 2000 + 1);
      estimates.push(after[0]!.estimate);
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(4 * expected);
    expect(mean(delays)).toBeLessThanOrEqual(1.5 * expected);
    // The estimate is the spread ratio: √(mean d²) since the change began.
    expect(median(estimates) / sd).toBeGreaterThan(0.75);
    expect(median(estimates) / sd).toBeLessThan(1.33);
  });

  it("a spread that narrows (calm after a busy spell) raises nothing", () => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(700 + seed);
      const c = emptyChangeState();
      expect(feed(c, rng, 2000, iid)).toEqual([]);
      expect(feed(c, rng, 1000, (r) => ({ level: r.normal(), error: 0.2 * r.normal() }), { from: 2000 })).toEqual([]);
    }
  });
});

describe("cold start and evidence", () => {
  it("untracked observations (cold start) learn the autocorrelation but gather no evidence", () => {
    const c = emptyChangeState();
    const draw = persistent(0.9);
    const rng = createRng(8);
    for (let i = 0; i < 2000; i++) {
      const s = draw(rng);
      expect(observeChange(c, { levelScore: s.level + 5, errorScore: 4 * s.error, deviation: 1, atMs: i, rate: rate(i) }, BITS, false)).toBeNull();
    }
    expect(changeEvidenceBits(c)).toBe(0);
    expect(c.levelScoreLagCov / c.levelScoreVar).toBeGreaterThan(0.8);
  });

  it("the evidence is the strongest side's statistic in bits, and alarms start at the threshold", () => {
    const c = emptyChangeState();
    // One level score of 3 on a fresh state (no correlation learned yet): 2k(3 − k) nats.
    observeChange(c, { levelScore: 3, errorScore: 0, deviation: 0.3, atMs: 0, rate: 0 }, BITS);
    expect(changeEvidenceBits(c)).toBeCloseTo((2 * K * (3 - K)) / Math.LN2, 10);
    expect(c.levelUp.sinceMs).toBe(0);
    expect(c.levelDown.stat).toBe(0);
    // Scores of 3 keep adding that much until the sum reaches the threshold: the alarm comes exactly then.
    const perScore = (2 * K * (3 - K)) / Math.LN2;
    const needed = Math.ceil(BITS / perScore);
    let alarm: ChangeAlarm | null = null;
    let i = 1;
    for (; i < 100 && !alarm; i++) alarm = observeChange(c, { levelScore: 3, errorScore: 0, deviation: 0.3, atMs: i, rate: 0 }, BITS);
    expect(i).toBe(needed);
    expect(alarm).toMatchObject({ kind: "level_up", sinceMs: 0, count: needed });
    expect(alarm!.bits).toBeCloseTo(needed * perScore, 8);
    expect(alarm!.estimate).toBeCloseTo(0.3, 10);
    expect(changeEvidenceBits(c)).toBe(0);
  });
});
