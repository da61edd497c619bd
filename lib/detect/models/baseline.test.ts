import { describe, expect, it } from "vitest";
import { emptyBaseline, learn, predict, surpriseHigh, whenOf, type When } from "./baseline";
import { createRng } from "./rng";

const noon: When = { hour: 12, dow: 3 };

function trained(samples: number, draw: (i: number) => { y: number; x?: number; when?: When }) {
  const b = emptyBaseline();
  for (let i = 0; i < samples; i++) {
    const s = draw(i);
    learn(b, s.y, s.x, s.when ?? noon);
  }
  return b;
}

describe("baseline", () => {
  const rng = createRng(7);
  const logNormal = trained(3000, () => ({ y: Math.log(1100) + 0.4 * rng.normal() }));

  it.each([
    { name: "learns the log-scale centre", check: () => expect(Math.exp(predict(logNormal, undefined, noon).mean)).toBeGreaterThan(1000) },
    { name: "centre is not above the true median by much", check: () => expect(Math.exp(predict(logNormal, undefined, noon).mean)).toBeLessThan(1200) },
    { name: "learns the spread", check: () => expect(predict(logNormal, undefined, noon).sigma).toBeCloseTo(0.4, 1) },
    { name: "an 8x spike at sigma 0.4 passes the 20-bit threshold", check: () => expect(surpriseHigh(predict(logNormal, undefined, noon), Math.log(8800)).bits).toBeGreaterThan(20) },
    { name: "a typical value is a few bits at most", check: () => expect(surpriseHigh(predict(logNormal, undefined, noon), Math.log(1300)).bits).toBeLessThan(3) },
  ])("$name", ({ check }) => check());

  it("an outlier barely moves the baseline (winsorized update)", () => {
    const b = trained(500, () => ({ y: Math.log(100) + 0.2 * rng.normal() }));
    const before = predict(b, undefined, noon).mean;
    learn(b, Math.log(1e6), undefined, noon);
    expect(Math.abs(predict(b, undefined, noon).mean - before)).toBeLessThan(0.01);
  });

  it("explains latency by output tokens through the regressor", () => {
    const b = trained(3000, () => {
      const x = Math.log(1 + Math.exp(5 + rng.normal()));
      return { x, y: 1 + 0.9 * x + 0.15 * rng.normal() };
    });
    const bigX = Math.log(1 + Math.exp(9));
    const pred = predict(b, bigX, noon);
    expect(surpriseHigh(pred, 1 + 0.9 * bigX).bits).toBeLessThan(3);
    expect(surpriseHigh(pred, 1 + 0.9 * bigX + 1.5).bits).toBeGreaterThan(20);
  });

  it("uses daily seasonality only where the data shows it", () => {
    const b = trained(6000, (i) => {
      const hour = i % 24;
      return { y: (hour >= 9 && hour < 17 ? 1 : 0) + 0.1 * rng.normal(), when: { hour, dow: 1 } };
    });
    expect(predict(b, undefined, { hour: 12, dow: 1 }).mean).toBeGreaterThan(0.8);
    expect(predict(b, undefined, { hour: 3, dow: 1 }).mean).toBeLessThan(0.2);
  });

  it("false-alarm rate on clean Gaussian data matches the tail (no alert at 20 bits in 50k)", () => {
    const b = trained(200, () => ({ y: rng.normal() }));
    let over10 = 0;
    let over20 = 0;
    for (let i = 0; i < 50_000; i++) {
      const y = rng.normal();
      const bits = surpriseHigh(predict(b, undefined, noon), y).bits;
      if (bits > 10) over10++;
      if (bits > 20) over20++;
      learn(b, y, undefined, noon);
    }
    expect(over10).toBeLessThan(200); // expected ≈ 50
    expect(over20).toBe(0);
  });

  it("adapts to a lasting level shift", () => {
    const b = trained(2000, () => ({ y: rng.normal() * 0.1 }));
    for (let i = 0; i < 4000; i++) learn(b, 1 + rng.normal() * 0.1, undefined, noon);
    expect(predict(b, undefined, noon).mean).toBeGreaterThan(0.9);
  });

  it.each([
    { name: "epoch", ms: 0 },
    { name: "a Sunday evening", ms: Date.UTC(2026, 10, 22, 21, 30) },
    { name: "a Wednesday morning", ms: Date.UTC(2026, 10, 25, 6, 5) },
  ])("whenOf matches Date for $name", ({ ms }) => {
    const d = new Date(ms);
    expect(whenOf(ms)).toEqual({ hour: d.getUTCHours(), dow: d.getUTCDay() });
  });
});
