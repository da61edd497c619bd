// The per-key metric model on the shapes real traffic has: heavy tails, mixtures, small counts,
// regressors, daily patterns, lasting shifts. Values are on the log scale the scorer uses.
import { describe, expect, it } from "vitest";
import { assess, baselineFromJson, baselineToJson, emptyBaseline, emptyReference, learn, learningRate, type Baseline, type BaselineChange, type ReferenceErrors } from "./baseline";
import { createRng, type Rng } from "./rng";

const SECOND = 1000;
const T0 = Date.UTC(2026, 10, 2);
const LEARN = { changeBits: 20, minHistory: 50 };

interface Run {
  alarms: number;
  changes: BaselineChange[];
}

/** Feeds values (spaced `stepMs` apart) and counts point alarms at `bits` and change alarms. */
function feed(b: Baseline, values: number[], opts: { startMs?: number; stepMs?: number; bits?: number; x?: number[] } = {}): Run {
  const bits = opts.bits ?? 20;
  let alarms = 0;
  const changes: BaselineChange[] = [];
  values.forEach((y, i) => {
    const o = { y, x: opts.x?.[i], atMs: (opts.startMs ?? T0) + i * (opts.stepMs ?? SECOND) };
    const a = assess(b, o);
    if (!a.cold && (a.pHigh <= 2 ** -bits)) alarms++;
    const c = learn(b, o, a, LEARN);
    if (c) changes.push(c);
  });
  return { alarms, changes };
}

const logNormal = (rng: Rng, median: number, sigma: number) => Math.log1p(median * Math.exp(sigma * rng.normal()));
const studentT = (rng: Rng, nu: number) => {
  let c = 0;
  for (let i = 0; i < nu; i++) c += rng.normal() ** 2;
  return rng.normal() / Math.sqrt(c / nu);
};

describe("calibration on normal traffic (no alarms expected at 20 bits in 50k calls)", () => {
  const rng = createRng(7);
  it.each<{ name: string; draw: () => number }>([
    { name: "log-normal latency", draw: () => logNormal(rng, 800, 0.4) },
    { name: "log-t(3) latency (heavy tail)", draw: () => Math.log1p(800 * Math.exp(0.3 * studentT(rng, 3))) },
    { name: "cache hits and 20 % misses 40x slower", draw: () => logNormal(rng, rng.chance(0.2) ? 4000 : 100, 0.3) },
    { name: "3 % retries doubling the latency", draw: () => logNormal(rng, 600, 0.3) + (rng.chance(0.03) ? Math.LN2 : 0) },
    { name: "1 % timeouts at a 30 s cap", draw: () => (rng.chance(0.01) ? Math.log1p(30_000) : logNormal(rng, 900, 0.5)) },
    { name: "router outputs of 1-5 tokens", draw: () => Math.log1p(1 + Math.floor(rng.next() * 5)) },
  ])("$name", ({ draw }) => {
    const b = emptyBaseline();
    const run = feed(b, Array.from({ length: 50_000 }, draw));
    expect(run.alarms).toBe(0);
    expect(run.changes).toEqual([]);
  });
});

describe("quiet keys (120 calls each) borrow the tails of their reference class", () => {
  // 300 tenants' assistants on one model: log-t(3) latencies around each tenant's own median. A key's
  // own few dozen errors cannot show how heavy the tail is; the class's errors can.
  const quietAlarms = (reference: ReferenceErrors | undefined) => {
    const rng = createRng(21);
    let alarms = 0;
    for (let key = 0; key < 300; key++) {
      const b = emptyBaseline();
      const median = 300 + 3000 * rng.next();
      for (let i = 0; i < 120; i++) {
        const o = { y: Math.log1p(median * Math.exp(0.3 * studentT(rng, 3))), atMs: T0 + (key * 120 + i) * SECOND };
        const a = assess(b, o, undefined, 50, reference?.errors);
        if (!a.cold && Math.min(a.pHigh, a.pLow) <= 2 ** -18) alarms++;
        learn(b, o, a, { ...LEARN, reference });
      }
    }
    return alarms;
  };

  it("judged alone, a few of their calls look one in a million", () => {
    expect(quietAlarms(undefined)).toBeGreaterThan(0);
  });

  it("judged with their class, none does", () => {
    expect(quietAlarms(emptyReference())).toBe(0);
  });
});

describe("a step called several times per run (only its first call is watched for changes)", () => {
  /** Runs of `calls` calls: the first sits `offset` above the others and is `wider` times as variable. */
  function runs(count: number, opts: { calls: number; offset: number; wider: number; shiftAt?: number; shift?: number }): BaselineChange[] {
    const rng = createRng(11);
    const b = emptyBaseline();
    const changes: BaselineChange[] = [];
    for (let r = 0; r < count; r++) {
      const level = opts.shiftAt !== undefined && r >= opts.shiftAt ? (opts.shift ?? 0) : 0;
      for (let k = 0; k < opts.calls; k++) {
        const first = k === 0;
        const y = Math.log1p(2000) + level + (first ? opts.offset : 0) + 0.2 * (first ? opts.wider : 1) * rng.normal();
        const o = { y, atMs: T0 + r * 30 * SECOND + k * SECOND };
        const c = learn(b, o, assess(b, o), { ...LEARN, watchChange: first });
        if (c) changes.push(c);
      }
    }
    return changes;
  }

  it.each([
    { name: "first calls 0.5 above the others", offset: 0.5, wider: 1 },
    { name: "first calls 0.5 below the others", offset: -0.5, wider: 1 },
  ])("a lasting difference of the first call is not a change: $name", ({ offset, wider }) => {
    expect(runs(4000, { calls: 10, offset, wider }).map((c) => c.kind)).toEqual([]);
  });

  it("a shift of every call is still found", () => {
    const changes = runs(3000, { calls: 10, offset: 0.5, wider: 1, shiftAt: 2000, shift: 0.4 });
    expect(changes.map((c) => c.kind)).toEqual(["level_up"]);
  });
});

describe("what must alarm", () => {
  it.each([
    { name: "a 10x spike on log-normal latency", base: () => logNormal(createRng(1), 800, 0.3), spike: Math.log1p(8000) },
    { name: "a 10x spike above a 20 % miss mode", base: () => 0, spike: 0 },
  ])("$name", ({ name }) => {
    const rng = createRng(2);
    const mixture = name.includes("miss");
    const b = emptyBaseline();
    feed(b, Array.from({ length: 20_000 }, () => (mixture ? logNormal(rng, rng.chance(0.2) ? 4000 : 100, 0.25) : logNormal(rng, 800, 0.3))));
    const a = assess(b, { y: Math.log1p(mixture ? 40_000 : 8_000), atMs: T0 + 1e8 });
    // Far beyond a wide mixture's data the tail is judged conservatively (an upper bound of its shape).
    expect(a.pHigh).toBeLessThan(mixture ? 2 ** -16 : 2 ** -20);
  });

  it("a lasting 2x regression is one level shift, within 60 calls, and its end is a recovery", () => {
    const rng = createRng(3);
    const b = emptyBaseline();
    feed(b, Array.from({ length: 5000 }, () => logNormal(rng, 800, 0.4)));
    const during = feed(b, Array.from({ length: 1000 }, () => logNormal(rng, 1600, 0.4)), { startMs: T0 + 5000 * SECOND });
    expect(during.changes.map((c) => c.kind)).toEqual(["level_up"]);
    expect(during.changes[0]!.count).toBeLessThanOrEqual(60);
    expect(during.alarms).toBe(0);
    const after = feed(b, Array.from({ length: 1000 }, () => logNormal(rng, 800, 0.4)), { startMs: T0 + 6000 * SECOND });
    expect(after.changes.map((c) => [c.kind, c.recovery])).toEqual([["level_down", true]]);
  });

  it("a 10x lasting shift stops alarming once the model re-baselines (no storm)", () => {
    const rng = createRng(4);
    const b = emptyBaseline();
    feed(b, Array.from({ length: 5000 }, () => logNormal(rng, 800, 0.3)));
    const during = feed(b, Array.from({ length: 2000 }, () => logNormal(rng, 8000, 0.3)), { startMs: T0 + 5000 * SECOND });
    expect(during.changes.map((c) => c.kind)).toEqual(["level_up"]);
    expect(during.alarms).toBeLessThan(10);
  });
});

describe("what the prediction explains", () => {
  it("a long answer that takes long is not a latency anomaly (regression on output tokens)", () => {
    const rng = createRng(5);
    const b = emptyBaseline();
    const tokens = Array.from({ length: 5000 }, () => Math.floor(50 + rng.next() * 2000));
    feed(b, tokens.map((t) => Math.log1p((300 + 12 * t) * Math.exp(0.1 * rng.normal()))), { x: tokens.map(Math.log1p) });
    const long = assess(b, { y: Math.log1p(300 + 12 * 2000), x: Math.log1p(2000), atMs: T0 + 1e7 });
    const slow = assess(b, { y: Math.log1p(4 * (300 + 12 * 100)), x: Math.log1p(100), atMs: T0 + 1e7 });
    expect(long.pHigh).toBeGreaterThan(1e-3);
    expect(slow.pHigh).toBeLessThan(2 ** -20);
  });

  it("a daily pattern (3x at noon) is learned: no alarms after a few days", () => {
    const rng = createRng(6);
    const b = emptyBaseline();
    const minute = 60 * SECOND;
    const day = (i: number) => Math.sin((2 * Math.PI * ((i % 1440) / 1440)) - Math.PI / 2);
    const values = Array.from({ length: 1440 * 10 }, (_, i) => logNormal(rng, 500 * Math.exp(0.55 * day(i)), 0.15));
    const warm = feed(b, values.slice(0, 1440 * 5), { stepMs: minute });
    const later = feed(b, values.slice(1440 * 5), { stepMs: minute, startMs: T0 + 1440 * 5 * minute });
    expect(warm.changes.length).toBeLessThan(10);
    expect(later.changes.map((c) => c.kind)).toEqual([]);
    expect(later.alarms).toBe(0);
  });
});

describe("memory", () => {
  it.each([
    { name: "a busy key (10 calls/s) remembers about an hour's half-life in calls", elapsed: 100, n: 1e6, atMost: 1 / 20_000 },
    { name: "a quiet key (20 calls a day) still remembers its last 200 calls", elapsed: 72 * 60 * SECOND, n: 1e6, atMost: 1 - 2 ** (-1 / 200) },
    { name: "a new key learns its first values as a plain mean", elapsed: 100, n: 3, atMost: 1 / 4 },
  ])("$name", ({ elapsed, n, atMost }) => {
    expect(learningRate({ halfLifeMs: 86_400_000, minHalfLifeObservations: 200 }, n, elapsed)).toBeLessThanOrEqual(atMost + 1e-12);
  });

  it("survives a JSON round trip with the same judgement", () => {
    const rng = createRng(8);
    const b = emptyBaseline();
    feed(b, Array.from({ length: 3000 }, () => logNormal(rng, 800, 0.4)));
    const back = baselineFromJson(JSON.parse(JSON.stringify(baselineToJson(b))));
    const o = { y: Math.log1p(5000), atMs: T0 + 1e7 };
    expect(assess(back, o).pHigh / assess(b, o).pHigh).toBeCloseTo(1, 2);
  });

  it("a state of the earlier format is dropped, not misread", () => {
    expect(baselineFromJson({ n: 10, my: 1, pe: 0.2 }).n).toBe(0);
  });
});
