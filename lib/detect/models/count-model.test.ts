// Expected counts per window with daily, weekly and minute-of-hour shape, and the three CUSUMs.
import { describe, expect, it } from "vitest";
import { emptyCountModel, expectedCount, observeCount, type CountModel, type CountSignal } from "./count-model";
import { DEFAULT_RATE_PARAMS } from "./rates";
import { createRng, type Rng } from "./rng";

const P = DEFAULT_RATE_PARAMS.count;
const WINDOW = P.windowMs;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);
// As budget.ts sets it: 1 false alert per 10,000 key-hours, 120 windows an hour, 3 sides.
const BITS = Math.log2((3 * 120) / 1e-4);

/** Feeds `minutes` of traffic at `rate` per minute, window by window. */
function run(m: CountModel, minutes: number, startMs: number, rate: (ms: number) => number, rng: Rng): Array<CountSignal & { at: number }> {
  const out: Array<CountSignal & { at: number }> = [];
  for (let i = 0; i < (minutes * MINUTE) / WINDOW; i++) {
    const ms = startMs + i * WINDOW;
    const sig = observeCount(m, rng.poisson((rate(ms) * WINDOW) / MINUTE), ms, P, BITS);
    if (sig) out.push({ ...sig, at: ms });
  }
  return out;
}

const officeHours = (ms: number) => {
  const day = new Date(ms).getUTCDay();
  const hour = new Date(ms).getUTCHours();
  return day >= 1 && day <= 5 && hour >= 8 && hour < 18 ? 20 : 0.05;
};
const dailyWave = (ms: number) => 10 * (1 + 0.6 * Math.sin((2 * Math.PI * (ms % DAY)) / DAY));
const hourlyCron = (ms: number) => 5 + (new Date(ms).getUTCMinutes() === 0 ? 60 : 0);

describe("normal traffic raises nothing once its shape is learned", () => {
  it.each([
    { name: "a daily wave", rate: dailyWave, warmDays: 2, days: 5 },
    { name: "office hours with silent nights and weekends", rate: officeHours, warmDays: 8, days: 14 },
    { name: "an hourly cron burst at minute 0", rate: hourlyCron, warmDays: 1, days: 4 },
  ])("$name", ({ rate, warmDays, days }) => {
    const rng = createRng(3);
    const m = emptyCountModel();
    run(m, warmDays * 1440, T0, rate, rng);
    expect(run(m, (days - warmDays) * 1440, T0 + warmDays * DAY, rate, rng)).toEqual([]);
  });
});

describe("a shape learned from a single day raises nothing", () => {
  it("office hours whose start, end and level vary from day to day, Thursday to Monday after one day", () => {
    const rng = createRng(6);
    const days = new Map<number, { open: number; close: number; level: number }>();
    const dayOf = (ms: number) => {
      const d = Math.floor(ms / DAY);
      if (!days.has(d)) days.set(d, { open: 7.5 + rng.next(), close: 16.5 + 1.5 * rng.next(), level: 2 * Math.exp(0.15 * rng.normal()) });
      return days.get(d)!;
    };
    const jittered = (ms: number) => {
      const weekday = new Date(ms).getUTCDay();
      const hour = (ms % DAY) / HOUR;
      const d = dayOf(ms);
      return weekday >= 1 && weekday <= 5 && hour >= d.open && hour < d.close ? d.level : 0.05;
    };
    const thursday = T0 + 3 * DAY;
    const m = emptyCountModel();
    run(m, 1440, thursday, jittered, rng);
    expect(run(m, 4 * 1440, thursday + DAY, jittered, rng)).toEqual([]);
    // It still knows what it learned: Monday's office hours are expected to be busy.
    expect(expectedCount(m, thursday + 4 * DAY + 12 * HOUR)).toBeGreaterThan(0.5);
  });
});

describe("what must alarm", () => {
  it.each([
    { name: "a 5x surge is reported once, within 2 minutes", factor: 5, side: "up", within: 2 },
    { name: "an outage (no traffic) is reported once, within 2 minutes", factor: 0, side: "silent", within: 2 },
    { name: "a drop by half is reported once, within 15 minutes", factor: 0.5, side: "down", within: 15 },
  ])("$name", ({ factor, side, within }) => {
    const rng = createRng(4);
    const m = emptyCountModel();
    run(m, 3 * 1440, T0, dailyWave, rng);
    const start = T0 + 3 * DAY + 10 * HOUR;
    const during = run(m, 60, start, (ms) => dailyWave(ms) * factor, rng);
    expect(during.map((s) => s.side)).toEqual([side]);
    expect((during[0]!.at - start) / MINUTE).toBeLessThan(within);
    // Its end is not a second report.
    expect(run(m, 120, start + HOUR, dailyWave, rng)).toEqual([]);
  });

  it("a surge does not blunt the outage test that follows it (its windows teach the dispersion nothing)", () => {
    const rng = createRng(7);
    const m = emptyCountModel();
    const start = T0 + 8 * HOUR;
    run(m, 120, start, () => 15, rng);
    expect(run(m, 12, start + 2 * HOUR, () => 75, rng).map((s) => s.side)).toEqual(["up"]);
    expect(run(m, 30, start + 132 * MINUTE, () => 15, rng)).toEqual([]);
    const outage = start + 162 * MINUTE;
    const during = run(m, 10, outage, () => 0, rng);
    expect(during.map((s) => s.side)).toEqual(["silent"]);
    expect((during[0]!.at - outage) / MINUTE).toBeLessThan(3);
  });

  it("the expectation follows the learned shape", () => {
    const rng = createRng(5);
    const m = emptyCountModel();
    run(m, 10 * 1440, T0, officeHours, rng);
    expect(expectedCount(m, T0 + 14 * DAY + 10 * HOUR)).toBeGreaterThan(5);
    expect(expectedCount(m, T0 + 14 * DAY + 2 * HOUR)).toBeLessThan(0.5);
  });
});
