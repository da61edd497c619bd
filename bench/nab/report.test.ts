import { describe, expect, it } from "vitest";
import type { ScorerReport } from "./nab-scorer";
import { formatThreshold, perFileTable, scoreTable, timingLines } from "./report";

const profile = (normalized: number, threshold: number, score = -1) => ({
  threshold, rawScore: 0, normalized, tp: 1, tn: 2, fp: 3, fn: 4, perFile: [{ file: "a/b.csv", score, tp: 1, tn: 2, fp: 3, fn: 4 }],
});
const report = (p: (name: string) => ReturnType<typeof profile>): ScorerReport => ({
  files: 2, windows: 5, missing: [], warnings: [],
  profiles: { reward_low_FN_rate: p("fn"), standard: p("std"), reward_low_FP_rate: p("fp") },
});

describe("scoreTable", () => {
  it("prints one line per profile in NAB's order: optimised score, its threshold, the score at the fixed threshold", () => {
    const text = scoreTable(report(() => profile(12.345, 0.123456789)), report(() => profile(-250.5, 0.5)), 0.5);
    const lines = text.split("\n");
    expect(lines[0]).toContain("2 files, 5 windows");
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(["standard", "reward_low_FP_rate", "reward_low_FN_rate"]);
    expect(lines[2]).toMatch(/^standard\s+12\.35\s+0\.123457\s+-250\.50\s+1\/3\/4$/);
  });
});

describe("perFileTable", () => {
  it("lists each file's raw score at both thresholds", () => {
    expect(perFileTable(report(() => profile(1, 1.1, 0.5)), report(() => profile(1, 0.5, -2)), 0.5)).toContain("    0.500 |    -2.000            1/3/4  a/b.csv");
  });
});

describe("formatThreshold", () => {
  it.each([
    [1.1, "1.1"],
    [1, "1.0"],
    [0.28752812345, "0.287528"],
  ])("%s → %s", (t, text) => {
    expect(formatThreshold(t)).toBe(text);
  });
});

describe("timingLines", () => {
  it("prints rates in spans per second", () => {
    const text = timingLines({ rows: 170_000, files: 35, ingestMs: 10_000, scoredAfterMs: 30_000, scoringTailMs: 20_000, readBackMs: 5_000, readBackPages: 50, readConcurrency: 2, readBackCpuMs: 4_000, warmUpMs: 1_500, totalMs: 60_000 });
    expect(text).toContain("170,000 spans of 35 files in 10.0 s (17,000 spans/s)");
    expect(text).toContain("in 50 pages in 5.0 s (34,000 spans/s, 2 request(s) in flight; server CPU 4.0 s: 42,500 spans per CPU-second; after a first request of 1500 ms)");
  });
});
