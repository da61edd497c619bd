// Traffic, error-rate and spend detectors per key, fed span by span as score-rates.ts feeds them, on
// traffic the count model does not exactly assume: traces arrive in sessions (compound Poisson) or
// with a per-window rate noise (Poisson-lognormal), on a daily wave, with several spans per trace.
import { describe, expect, it } from "vitest";
import { rateThresholdBits } from "../budget";
import { DEFAULT_SETTINGS } from "../settings";
import { expectedCount } from "./count-model";
import { closeIdle, closeUntil, DEFAULT_RATE_PARAMS, emptyRateState, MAX_OPEN_WINDOWS, nextLagQuantile, observeRate, rateFromJson, rateToJson, type RateSignal, type RateState, type RateThresholds } from "./rates";
import { createRng, type Rng } from "./rng";

const P = DEFAULT_RATE_PARAMS;
const W = P.windowMs;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);
// The thresholds score-rates.ts uses at the default budget (1 false alert per 10,000 key-hours).
const WINDOWS_PER_HOUR = HOUR / W;
const T: RateThresholds = {
  volume: rateThresholdBits(DEFAULT_SETTINGS, WINDOWS_PER_HOUR, 3),
  errorRate: rateThresholdBits(DEFAULT_SETTINGS, WINDOWS_PER_HOUR, 4),
  costRate: rateThresholdBits(DEFAULT_SETTINGS, WINDOWS_PER_HOUR, 3),
};

/** Traces per minute: 10 on average, 4 at night, 16 in the afternoon. */
const dailyWave = (ms: number) => 10 * (1 + 0.6 * Math.sin((2 * Math.PI * (ms % DAY)) / DAY));

interface Traffic {
  /** Traces started in a window whose expected count is `mean`. */
  traces: (rng: Rng, mean: number) => number;
  rate: (ms: number) => number;
  errorRate: (ms: number) => number;
  /** Multiplier of the cost of a costed call. */
  costScale: (ms: number) => number;
  /** The root fails when a child failed (errors propagate, as instrumented services usually report them). */
  propagate?: boolean;
}

/** Users start sessions of a few traces each (geometric sizes, mean `size`): variance/mean = 2·size − 1. */
const sessions =
  (size: number) =>
  (rng: Rng, mean: number): number => {
    let n = 0;
    for (let k = rng.poisson(mean / size); k > 0; k--) {
      n += 1;
      while (rng.chance(1 - 1 / size)) n += 1;
    }
    return n;
  };
/** The rate itself wanders from window to window (log-normal with a mean of 1). */
const lognormalRate =
  (sigma: number) =>
  (rng: Rng, mean: number): number =>
    rng.poisson(mean * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2));

const NORMAL: Traffic = { traces: sessions(3), rate: dailyWave, errorRate: () => 0.02, costScale: () => 1 };

interface Fed {
  signals: Array<RateSignal & { at: number }>;
  /** Spans fed per window, on average. */
  spansPerWindow: number;
}

/**
 * Feeds `minutes` of traffic from `fromMs`, span by span in end-time order, as score-rates.ts does: the
 * project's watermark is the latest end time seen, and it closes the key's idle windows each window.
 * A trace is a root and Poisson(2) children, half of which report a cost.
 */
function feed(s: RateState, rng: Rng, fromMs: number, minutes: number, tr: Traffic): Fed {
  const signals: Fed["signals"] = [];
  let spanCount = 0;
  const windows = (minutes * MINUTE) / W;
  for (let i = 0; i < windows; i++) {
    const ws = fromMs + i * W;
    const spans: Array<{ end: number; traceId: string; root: boolean; error: boolean; cost: number }> = [];
    const n = tr.traces(rng, (tr.rate(ws) * W) / MINUTE);
    for (let k = 0; k < n; k++) {
      const traceId = `${ws}-${k}`;
      const start = ws + rng.next() * (W - 3000);
      let failed = false;
      for (let c = rng.poisson(2); c > 0; c--) {
        const cost = rng.chance(0.5) ? 0.002 * tr.costScale(ws) * Math.exp(0.5 * rng.normal()) : 0;
        const error = rng.chance(tr.errorRate(ws));
        failed ||= error;
        spans.push({ end: start + rng.next() * 2000, traceId, root: false, error, cost });
      }
      spans.push({ end: start + 2500, traceId, root: true, error: tr.propagate ? failed : rng.chance(tr.errorRate(ws)), cost: 0 });
    }
    spans.sort((a, b) => a.end - b.end);
    let watermark = ws;
    for (const sp of spans) {
      watermark = Math.max(watermark, sp.end);
      const out = observeRate(s, { endMs: sp.end, traceId: sp.traceId, isRoot: sp.root, isError: sp.error, cost: sp.cost, watermarkMs: watermark }, P, T);
      for (const sig of out) signals.push({ ...sig, at: ws });
    }
    spanCount += spans.length;
    // Other keys of the project move its watermark to the end of the window.
    for (const sig of closeIdle(s, ws + W, P, T)) signals.push({ ...sig, at: ws });
  }
  return { signals, spansPerWindow: spanCount / windows };
}

const clone = (s: RateState): RateState => rateFromJson(JSON.parse(JSON.stringify(rateToJson(s))) as Record<string, unknown>)!;
const of = (f: Fed, detector: RateSignal["detector"]) => f.signals.filter((x) => x.detector === detector);
const describeSignals = (f: Fed) => f.signals.map((x) => `${x.detector}/${x.side} at ${new Date(x.at).toISOString()}`);

describe("normal traffic raises nothing once learned", () => {
  // Days at the budget (1 false alert per 10,000 key-hours) expect 0.005-0.007 alerts per detector: any is a failure.
  it.each([
    { name: "sessions of 3 traces on average (variance 5x the mean)", traces: sessions(3), days: 3 },
    { name: "a rate wandering ±30 % from window to window (Poisson-lognormal)", traces: lognormalRate(0.3), days: 2 },
  ])("$name, on a daily wave with 2 % independent errors ($days days)", ({ traces, days }) => {
    const s = emptyRateState();
    const rng = createRng(21);
    const tr: Traffic = { ...NORMAL, traces };
    // Two days: the volume model knows each half-hour of the day from one visit (count-model.ts).
    feed(s, rng, T0, 2 * 1440, tr);
    expect(s.volume.dispersion).toBeGreaterThan(1.3); // the traffic really is over-dispersed, and the model saw it
    expect(describeSignals(feed(s, rng, T0 + 2 * DAY, days * 1440, tr))).toEqual([]);
    expect(s.late).toBe(0);
  });
});

describe("errors that propagate within a trace", () => {
  // When a failing child also fails its root (the usual instrumentation), errors come in pairs: with a
  // binomial likelihood a chance cluster brought twice the evidence (seeds 1-8, 3 days each after 2 of
  // learning, raised 8 alarms against a budget of 0.0024 a day). The learned dispersion (about 2 here)
  // counts each pair once.
  it.each([1, 2, 3, 4])("raise no error_rate alarm on normal traffic (2 %% of calls failing, each failure failing its root), seed %i", (seed) => {
    const tr: Traffic = { ...NORMAL, traces: lognormalRate(0), propagate: true };
    const s = emptyRateState();
    const rng = createRng(seed);
    feed(s, rng, T0, 2 * 1440, tr);
    const found = describeSignals(feed(s, rng, T0 + 2 * DAY, 1440, tr));
    expect(found).toEqual([]);
    expect(s.errorDispersion).toBeGreaterThan(1.5);
  });
});

describe("what must alarm (after two days of normal traffic)", () => {
  /** 10:00 on the third day: 13 traces per minute usually. */
  const START = T0 + 2 * DAY + 10 * HOUR;
  const warm = emptyRateState();
  feed(warm, createRng(31), T0, (START - T0) / MINUTE, NORMAL);
  const lambda = expectedCount(warm.volume, START);
  const ln2 = Math.LN2;

  // A CUSUM whose statistic gains `nats` a window on average (the model's LLR under the change) crosses
  // `bits` after about bits·ln2/nats windows. Over 30 seeds the delays were at most 2x that for traffic and
  // errors, and 4x for spend, whose per-window evidence varies more than its mean (spend is a compound of
  // bursty call counts and log-normal costs); the bounds allow that factor plus two windows (the closing
  // delay of an idle key, the window the change starts in).
  const bound = (bits: number, natsPerWindow: number, slack = 2) => slack * Math.ceil((bits * ln2) / natsPerWindow) + 2;

  it("a 5x surge is one volume/up report, within the windows its evidence rate implies", () => {
    const s = clone(warm);
    const phi = s.volume.dispersion;
    // Quasi-Poisson LLR of x3 against the expectation (count-model.ts): (x·ln3 − 2λ)/φ, with x = 5λ on average.
    const within = bound(T.volume, (lambda * (5 * Math.log(3) - 2)) / phi);
    const during = feed(s, createRng(32), START, 30, { ...NORMAL, rate: (ms) => 5 * dailyWave(ms) });
    const volume = of(during, "volume");
    expect(volume.map((x) => x.side)).toEqual(["up"]);
    expect((volume[0]!.at - START) / W).toBeLessThan(within);
    expect(volume[0]!.bits).toBeGreaterThanOrEqual(T.volume);
    // What it reports: the last minutes' traces per minute against the usual (13/min at 10:00).
    expect(volume[0]!.observed).toBeGreaterThan(2.5 * volume[0]!.expected);
    expect(volume[0]!.traceId).not.toBe("");
    // Its end is not a second report.
    expect(of(feed(s, createRng(33), START + 30 * MINUTE, 120, NORMAL), "volume")).toEqual([]);
  });

  it("an outage (the key goes silent while the project's clock moves on) is one volume/silent report", () => {
    const s = clone(warm);
    const phi = s.volume.dispersion;
    // Silence LLR (x = 0): 0.95λ/φ a window.
    const within = bound(T.volume, (0.95 * lambda) / phi);
    const during = feed(s, createRng(34), START, 30, { ...NORMAL, traces: () => 0 });
    expect(during.spansPerWindow).toBe(0);
    expect(during.signals.map((x) => `${x.detector}/${x.side}`)).toEqual(["volume/silent"]);
    expect((during.signals[0]!.at - START) / W).toBeLessThan(within);
    // The episode starts at the CUSUM's last zero: at the outage or a chance-quiet window or two before it.
    expect(during.signals[0]!.sinceMs).toBeLessThanOrEqual(START);
    expect(during.signals[0]!.sinceMs).toBeGreaterThanOrEqual(START - 5 * W); // measured: up to 3 windows before
    // The silence is also the drop: no "down" report for the same episode, and none when traffic returns.
    expect(of(feed(s, createRng(35), START + 30 * MINUTE, 120, NORMAL), "volume")).toEqual([]);
  });

  it("an error rate rising from 2 % to 10 % is one error_rate report", () => {
    const s = clone(warm);
    const p0 = s.errors / s.spans;
    expect(p0).toBeGreaterThan(0.015);
    expect(p0).toBeLessThan(0.025);
    const during = feed(s, createRng(36), START, 60, { ...NORMAL, errorRate: () => 0.1 });
    // Expected LLR per span of the bank's best alternative (m·p0 against p0) when the rate is 10 %, in bits.
    const perSpan = Math.max(...[2, 4, 8, 16].map((m) => 0.1 * Math.log2(m) + 0.9 * Math.log2((1 - m * p0) / (1 - p0))));
    const within = bound(T.errorRate, perSpan * during.spansPerWindow * ln2);
    const errors = of(during, "error_rate");
    expect(errors).toHaveLength(1);
    expect((errors[0]!.at - START) / W).toBeLessThan(within);
    expect(errors[0]!.expected).toBeCloseTo(p0, 2);
    expect(errors[0]!.observed).toBeGreaterThan(2 * errors[0]!.expected);
    // Errors alone move neither the traffic nor the spend.
    expect(of(during, "volume")).toEqual([]);
    expect(of(during, "cost_rate")).toEqual([]);
  });

  it("calls costing 10x more at the usual volume are one cost_rate report and no volume report", () => {
    const s = clone(warm);
    const usualSpend = expectedCount(s.spend, START);
    const within = bound(T.costRate, (usualSpend * (10 * Math.log(3) - 2)) / s.spend.dispersion, 4);
    const during = feed(s, createRng(37), START, 60, { ...NORMAL, costScale: () => 10 });
    const cost = of(during, "cost_rate");
    expect(cost.map((x) => x.side)).toEqual(["up"]);
    expect((cost[0]!.at - START) / W).toBeLessThan(within);
    expect(cost[0]!.observed).toBeGreaterThan(3 * cost[0]!.expected);
    expect(of(during, "volume")).toEqual([]);
  });
});

describe("windows, late spans and idle keys", () => {
  const span = (endMs: number, watermarkMs = endMs) => ({ endMs, traceId: `s${endMs}`, isRoot: true, isError: false, cost: 0, watermarkMs });

  it("a span for a window that has closed is counted as late and kept out of the open windows", () => {
    const s = emptyRateState();
    observeRate(s, span(T0 + 1000), P, T);
    // The watermark has passed the first window's end by a window (the lag is still 0): it closes.
    observeRate(s, span(T0 + 2 * W + 1000), P, T);
    expect(s.windows).toBe(1);
    const open = [{ ...s.cur }, ...s.ahead.map((w) => ({ ...w }))];
    expect(observeRate(s, span(T0 + 5000, T0 + 2 * W + 1000), P, T)).toEqual([]);
    expect(s.late).toBe(1);
    expect([s.cur, ...s.ahead]).toEqual(open);
  });

  it("spans that arrive out of order are counted in their own window while it is open", () => {
    const s = emptyRateState();
    s.lagMs = 20_000;
    observeRate(s, span(T0 + 1000), P, T);
    // A span of the next window, then a straggler of the first: both windows are still open.
    observeRate(s, span(T0 + W + 1000), P, T);
    observeRate(s, span(T0 + 5000, T0 + W + 1000), P, T);
    expect(s.late).toBe(0);
    expect(s.cur.traces).toBe(2);
    expect(s.ahead.map((w) => w.traces)).toEqual([1]);
    // A span far ahead closes what lies more than MAX_OPEN_WINDOWS before it (with no watermark to close it).
    observeRate(s, span(T0 + MAX_OPEN_WINDOWS * W + 1000, T0), P, T);
    expect(s.ws).toBe(T0 + W);
    expect(s.recent.at(-1)!.traces).toBe(2);
  });

  it("an idle key's window closes once the watermark has passed its end by a window plus twice its lag", () => {
    const s = emptyRateState();
    observeRate(s, span(T0 + 1000), P, T);
    s.lagMs = 4000;
    // closeIdle closes up to windowOf(watermark − W − 2·lag): the open window [T0, T0 + W) once that reaches T0 + W.
    const due = T0 + 2 * W + 2 * s.lagMs;
    expect(closeIdle(s, due - 1, P, T)).toEqual([]);
    expect(s.ws).toBe(T0);
    closeIdle(s, due, P, T);
    expect(s.ws).toBe(T0 + W);
    expect(s.windows).toBe(1);
    expect(s.recent.at(-1)!.traces).toBe(1);
  });

  it("nothing is closed before the key's first span", () => {
    const s = emptyRateState();
    expect(closeIdle(s, T0, P, T)).toEqual([]);
    expect(closeUntil(s, T0, P, T)).toEqual([]);
    expect(s.windows).toBe(0);
  });

  it("a gap is closed window by window (the quiet is learned) up to where the watermark has settled", () => {
    const s = emptyRateState();
    observeRate(s, span(T0 + 1000), P, T);
    observeRate(s, span(T0 + 2 * HOUR + 1000), P, T);
    // The watermark at T0 + 2 h + 1 s settles windows up to windowOf(watermark − W − 2·lag) = T0 + 2 h − W.
    expect(s.windows).toBe((2 * HOUR) / W - 1);
    expect(s.ws).toBe(T0 + 2 * HOUR - W);
    expect(s.volume.windows).toBe((2 * HOUR) / W - 1);
    expect(s.recent.map((w) => w.traces)).toEqual([0, 0, 0, 0]);
    expect(s.ahead.map((w) => w.traces)).toEqual([1]);
  });

  it("a gap longer than 12 hours closes 1,440 windows (12 h), then jumps to the span's window", () => {
    const s = emptyRateState();
    observeRate(s, span(T0 + 1000), P, T);
    closeUntil(s, T0 + 3 * DAY, P, T);
    expect(s.ws).toBe(T0 + 3 * DAY);
    expect(s.windows).toBe((12 * HOUR) / W);
  });
});

describe("the arrival-lag allowance (a streaming 95th percentile)", () => {
  const rng = createRng(41);
  it.each([
    { name: "exponential, mean 2 s", draw: () => -2000 * Math.log(1 - rng.next()), q95: -2000 * Math.log(0.05) },
    { name: "log-normal, median 1 s, σ = 1", draw: () => 1000 * Math.exp(rng.normal()), q95: 1000 * Math.exp(1.6449) },
    { name: "Pareto α = 2 from 200 ms (heavy tail)", draw: () => 200 / Math.sqrt(1 - rng.next()), q95: 200 / Math.sqrt(0.05) },
  ])("$name", ({ draw, q95 }) => {
    let estimate = 0;
    let below = 0;
    let sum = 0;
    const n = 15_000;
    // From 0 it climbs by 5 % a step (10 ms at least): a few hundred lags reach any of these; 1,000 are skipped.
    for (let i = 0; i < 1000; i++) estimate = nextLagQuantile(estimate, draw());
    for (let i = 0; i < n; i++) {
      const lag = draw();
      if (lag <= estimate) below += 1;
      sum += estimate;
      estimate = nextLagQuantile(estimate, lag);
    }
    // It settles where 95 % of lags are below it. Each step is 5 % of the estimate, so it wanders by ±30 %
    // around the quantile; its share below and its average are within a few percent (measured 1-5 %).
    expect(below / n).toBeGreaterThan(0.93);
    expect(below / n).toBeLessThan(0.96);
    expect(sum / n / q95).toBeGreaterThan(0.9);
    expect(sum / n / q95).toBeLessThan(1.1);
  });

  it("one replica flushing an hour-old buffer moves it by one step, not to the flush's lag", () => {
    expect(nextLagQuantile(1000, HOUR)).toBe(1050);
    expect(nextLagQuantile(0, HOUR)).toBe(10);
    expect(nextLagQuantile(0, 4)).toBe(4);
  });

  it("a lag regime 100x longer is reached in about a hundred spans, and it never goes below 0", () => {
    let estimate = 0;
    for (let i = 0; i < 500; i++) estimate = nextLagQuantile(estimate, 1000);
    expect(estimate).toBeGreaterThan(990);
    let steps = 0;
    while (estimate < 100_000 * 0.999) {
      estimate = nextLagQuantile(estimate, 100_000);
      steps += 1;
    }
    // Growth by 5 % a step (above 200 ms, where 5 % exceeds the 10 ms floor): ln(100)/ln(1.05) = 94.4 steps.
    const expected = Math.log(100) / Math.log(1.05);
    expect(steps).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(steps).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    // Down by 5 % × 0.05/0.95 of itself a step (0.53 ms at the 10 ms floor): about 3,000 steps from 100 s.
    for (let i = 0; i < 5000; i++) estimate = nextLagQuantile(estimate, 0);
    expect(estimate).toBe(0);
  });
});

describe("persistence", () => {
  it("a JSON round trip preserves the state: both copies go on to the same signals and the same state", () => {
    const s = emptyRateState();
    feed(s, createRng(51), T0, 6 * 60, NORMAL);
    const restored = clone(s);
    expect(restored).toEqual(s);
    // Identical futures, including a surge that must alarm in both.
    const surge: Traffic = { ...NORMAL, rate: (ms) => 5 * dailyWave(ms) };
    const a = feed(s, createRng(52), T0 + 6 * HOUR, 30, surge);
    const b = feed(restored, createRng(52), T0 + 6 * HOUR, 30, surge);
    expect(a.signals.length).toBeGreaterThan(0);
    expect(b.signals).toEqual(a.signals);
    expect(restored).toEqual(s);
  });

  it("another version is refused, and a partial state is completed with the empty state's fields", () => {
    expect(rateFromJson({ ...rateToJson(emptyRateState()), v: 1 })).toBeNull();
    expect(rateFromJson({})).toBeNull();
    const partial = rateFromJson({ v: 2, ws: T0, late: 3 })!;
    expect(partial).toEqual({ ...emptyRateState(), ws: T0, late: 3 });
  });
});
