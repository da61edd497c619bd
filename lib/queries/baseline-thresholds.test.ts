import { describe, expect, it } from "vitest";
import { assess, baselineToJson, emptyBaseline, learn, type Baseline } from "../detect/models/baseline";
import { createRng } from "../detect/models/rng";
import { emptySpanKey } from "../detect/state";
import { baselineLines } from "./baseline-thresholds";

/** A stored span-key state whose latency baseline learned n log-normal values around `median`. */
function stored(metric: "latency" | "cost", median: number, n = 1000) {
  const rng = createRng(5);
  const b: Baseline = emptyBaseline();
  const y = (v: number) => (metric === "cost" ? Math.log1p(v * 1e6) : Math.log1p(v));
  for (let i = 0; i < n; i++) {
    const o = { y: y(median * Math.exp(0.2 * rng.normal())), atMs: i * 1000 };
    learn(b, o, assess(b, o), { changeBits: Infinity, minHistory: 50 });
  }
  const key = { ...emptySpanKey(), [metric]: b };
  return JSON.parse(JSON.stringify({ v: 2, latency: toJson(key.latency), inputTokens: toJson(key.inputTokens), outputTokens: toJson(key.outputTokens), cost: toJson(key.cost), errors: key.errors }));
}
const toJson = (b: Baseline) => baselineToJson(b);

describe("baselineLines", () => {
  it("maps the learned level back to the usual latency, with the alert line above it", () => {
    const lines = baselineLines(stored("latency", 800), "latency", 20)!;
    expect(lines.usual).toBeGreaterThan(700);
    expect(lines.usual).toBeLessThan(900);
    expect(lines.threshold).toBeGreaterThan(800 * 1.5);
  });
  it("a lower alert threshold (more sensitive) gives a lower line", () => {
    const state = stored("latency", 800);
    expect(baselineLines(state, "latency", 10)!.threshold).toBeLessThan(baselineLines(state, "latency", 20)!.threshold);
  });
  it("cost is stored in micro-dollars", () => {
    const usual = baselineLines(stored("cost", 0.002), "cost", 20)!.usual;
    expect(usual).toBeGreaterThan(0.0017);
    expect(usual).toBeLessThan(0.0023);
  });
  it.each([
    ["no state", null],
    ["a state of the earlier format", { latency: { n: 10, my: 1, pe: 1 } }],
    ["nothing learned", JSON.parse(JSON.stringify({ v: 2, latency: baselineToJson(emptyBaseline()) }))],
  ])("returns null for %s", (_n, state) => expect(baselineLines(state, "latency", 20)).toBeNull());
});
