import { describe, expect, it } from "vitest";
import { baselineLines } from "./baseline-thresholds";

const baseline = (my: number, pe: number, n = 1000) => ({ n, my, pe, nx: 0, mx: 0, vx: 0, cxy: 0, ho: [], hw: [], dof: [], dw: [] });

describe("baselineLines", () => {
  it("maps the log-scale mean back to the usual latency", () => {
    const lines = baselineLines({ latency: baseline(Math.log1p(800), 0.04) }, "latency", 20)!;
    expect(lines.usual).toBeCloseTo(800, 6);
    expect(lines.threshold).toBeGreaterThan(800 * 2);
  });
  it("a lower alert threshold (more sensitive) gives a lower line", () => {
    const state = { latency: baseline(Math.log1p(800), 0.04) };
    expect(baselineLines(state, "latency", 8)!.threshold).toBeLessThan(baselineLines(state, "latency", 20)!.threshold);
  });
  it("cost is stored in micro-dollars", () => {
    expect(baselineLines({ cost: baseline(Math.log1p(0.002 * 1e6), 0.01) }, "cost", 20)!.usual).toBeCloseTo(0.002, 9);
  });
  it.each([
    ["no state", null],
    ["no baseline for the metric", { latency: undefined }],
    ["nothing learned", { latency: baseline(1, 1, 0) }],
  ])("returns null for %s", (_n, state) => expect(baselineLines(state, "latency", 20)).toBeNull());
});
