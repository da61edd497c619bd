// The learned distribution must give calibrated tail probabilities on the shapes real metrics have.
import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { addToSketch, binOf, distributionInterval, emptySketch, lowerEdge, probabilityAtLeast, probabilityAtMost, sketchFromJson, sketchQuantile, sketchToJson, sketchWeight } from "./tail-sketch";

const rng = createRng(11);
const normal = () => rng.normal();
const studentT3 = () => {
  const z = rng.normal();
  let c = 0;
  for (let i = 0; i < 3; i++) c += rng.normal() ** 2;
  return z / Math.sqrt(c / 3);
};
/** Exact upper tails. */
const normalTail = (z: number) => 0.5 * erfc(z / Math.SQRT2);
const t3Tail = (x: number) => {
  const th = Math.atan(x / Math.sqrt(3));
  return 0.5 - (th + Math.sin(th) * Math.cos(th)) / Math.PI;
};
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}

function learned(draw: () => number, n: number) {
  const s = emptySketch();
  for (let i = 0; i < n; i++) addToSketch(s, draw(), 0);
  return s;
}

describe("tail probabilities", () => {
  const gaussian = learned(normal, 50_000);
  const heavy = learned(studentT3, 50_000);
  it.each([
    // Within the data the histogram answers; beyond it the fitted generalized Pareto tail does.
    { name: "normal, inside the data (z = 2)", s: gaussian, z: 2, truth: normalTail(2), factor: 1.3 },
    // Beyond the data the tail is judged with an upper confidence bound of its shape: conservative.
    { name: "normal, edge of the data (z = 4)", s: gaussian, z: 4, truth: normalTail(4), factor: 5 },
    { name: "normal, beyond the data (z = 5): conservative, not wildly off", s: gaussian, z: 5, truth: normalTail(5), factor: 50 },
    { name: "Student t(3), inside the data (x = 5)", s: heavy, z: 5, truth: t3Tail(5), factor: 1.3 },
    { name: "Student t(3), far tail (x = 30)", s: heavy, z: 30, truth: t3Tail(30), factor: 3 },
    { name: "Student t(3), beyond the data (x = 100)", s: heavy, z: 100, truth: t3Tail(100), factor: 4 },
  ])("$name", ({ s, z, truth, factor }) => {
    const p = probabilityAtLeast(s, z);
    expect(p).toBeGreaterThan(truth / factor);
    expect(p).toBeLessThan(truth * factor);
  });

  it("a heavy tail is not judged by a Gaussian: x = 10 is common for t(3), extreme for a normal", () => {
    expect(probabilityAtLeast(heavy, 10)).toBeGreaterThan(1e-4);
    expect(probabilityAtLeast(gaussian, 10)).toBeLessThan(1e-9);
  });

  it("a recurring rare value becomes part of the distribution (3 % cache misses at z = 6)", () => {
    const s = learned(() => (rng.chance(0.03) ? 6 + 0.2 * rng.normal() : rng.normal()), 20_000);
    expect(probabilityAtLeast(s, 6)).toBeGreaterThan(0.01);
    // ... while far beyond the miss mode is still rare.
    expect(probabilityAtLeast(s, 12)).toBeLessThan(1e-4);
  });

  const withAnomalies = (share: number) => {
    const r = createRng(5);
    return { clean: learned(() => r.normal(), 10_000), contaminated: learned(() => (r.chance(share) ? 8 + 8 * r.next() : r.normal()), 10_000) };
  };

  it("anomalies recurring in 1 of 2,000 values neither make the tail heavier nor become a pattern", () => {
    const { clean, contaminated } = withAnomalies(0.0005);
    // A value 7 spreads out stays about as rare as without them (far below the 1e-6 of an alert) ...
    expect(probabilityAtLeast(contaminated, 7)).toBeLessThan(Math.max(1e-7, 10 * probabilityAtLeast(clean, 7)));
    // ... and so do the anomalies themselves.
    expect(probabilityAtLeast(contaminated, 12)).toBeLessThan(1e-7);
  });

  it("a narrow key whose tail's bulk sits in one bin keeps its recurring anomalies out of the tail", () => {
    // A cost that follows its tokens: errors of a few hundredths of a spread (the spread floored at the
    // metric's resolution), so the top 2 % fall in one bin; cost spikes of 15-40x (z about 30) in 1 of 1,300 calls.
    const r = createRng(9);
    const s = learned(() => (r.chance(0.00075) ? 27 + 10 * r.next() : -0.08 * Math.log(1 - r.next())), 40_000);
    expect(probabilityAtLeast(s, 27)).toBeLessThan(1e-8);
    // The clean tail is still judged by what it is: P(Z >= 0.8) is e^-10 = 4.5e-5.
    expect(probabilityAtLeast(s, 0.8)).toBeGreaterThan(4.5e-6);
    expect(probabilityAtLeast(s, 0.8)).toBeLessThan(4.5e-4);
  });

  it("extremes more common than the point contamination share are the key's behaviour", () => {
    const { contaminated } = withAnomalies(0.003);
    expect(probabilityAtLeast(contaminated, 12)).toBeGreaterThan(1e-3);
  });

  it("a discrete metric keeps its point masses: P(X >= x) includes x itself", () => {
    const values = [0, 1, 1, 2, 2, 2, 3];
    const s = learned(() => values[Math.floor(rng.next() * values.length)]!, 7_000);
    expect(probabilityAtLeast(s, 3)).toBeGreaterThan(0.1);
    expect(probabilityAtMost(s, 0)).toBeGreaterThan(0.1);
    const { below, upTo } = distributionInterval(s, 2);
    expect(upTo - below).toBeGreaterThan(0.35);
  });

  it("a light tail is judged as an exponential one, not a heavier one (600 normal values, 12 seeds)", () => {
    const atSix: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const r = createRng(seed);
      const s = learned(() => r.normal(), 600);
      // Conservative at the edge of the data ...
      expect(probabilityAtLeast(s, 4)).toBeGreaterThan(normalTail(4) / 2);
      atSix.push(probabilityAtLeast(s, 6));
    }
    // ... yet typically a value 6 spreads out is rarer than 1 in 100,000, so it can alert after a few
    // hundred calls (with the shape bounded at 0.05 or more instead, the median was 5e-5).
    atSix.sort((a, b) => a - b);
    expect(atSix[6]).toBeLessThan(1e-5);
  });

  it("thin data is judged conservatively (a moderately heavy prior tail)", () => {
    const s = learned(normal, 100);
    expect(probabilityAtLeast(s, 5)).toBeGreaterThan(10 * normalTail(5));
  });
});

describe("sketch mechanics", () => {
  it.each([-1e6, -20, -8.01, -8, -0.3, 0, 0.124, 0.125, 7.99, 8, 9.2, 1e5])("z = %d falls in the bin whose edges contain it", (z) => {
    const i = binOf(z);
    expect(lowerEdge(i)).toBeLessThanOrEqual(z + 1e-9);
    if (i > 0 && z > -1e5) expect(lowerEdge(i + 1)).toBeGreaterThan(z - 1e-9);
  });

  it("forgets at the caller's pace: the old regime fades, the weight stays bounded", () => {
    const s = emptySketch();
    for (let i = 0; i < 5000; i++) addToSketch(s, 5 + 0.1 * rng.normal(), 1 / 500);
    for (let i = 0; i < 5000; i++) addToSketch(s, rng.normal(), 1 / 500);
    expect(sketchWeight(s)).toBeLessThan(600);
    expect(probabilityAtLeast(s, 4)).toBeLessThan(1e-3);
    expect(Math.abs(sketchQuantile(s, 0.5))).toBeLessThan(0.3);
  });

  it("survives a JSON round trip", () => {
    const s = learned(studentT3, 3000);
    const back = sketchFromJson(JSON.parse(JSON.stringify(sketchToJson(s))));
    for (const z of [-20, -2, 0, 1, 3, 10, 50]) expect(probabilityAtLeast(back, z)).toBeCloseTo(probabilityAtLeast(s, z), 4);
    expect(back.n).toBe(3000);
  });

  it("an empty sketch knows nothing", () => {
    const s = emptySketch();
    expect(probabilityAtLeast(s, 3)).toBe(1);
    expect(sketchQuantile(s, 0.99)).toBe(0);
  });
});
