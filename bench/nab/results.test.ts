import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rowIds, startNsOf } from "./map-rows";
import { parseNabCsv, type NabFile } from "./read-data";
import { matchScores, resultsCsv, writeResultsFile, type ReadSpan } from "./results";

const rel = "artificialWithAnomaly/art_daily_flatmiddle.csv";
const data: NabFile = {
  rel,
  category: "artificialWithAnomaly",
  stem: "art_daily_flatmiddle",
  ...parseNabCsv("timestamp,value\n2014-04-01 00:00:00,-21.5\n2014-04-01 00:05:00,20.25\n2014-04-01 00:10:00,1e-3\n", rel),
};

/** The span the product would return for row i, with a score. */
function spanOf(i: number, score: number | null): ReadSpan {
  const row = data.rows[i]!;
  return { ...rowIds(rel, i), startTimeUnixNano: startNsOf(row.us).toString(), durationMs: row.num + data.shift, score };
}

describe("matchScores", () => {
  it("gives each row its span's score, whatever order the spans come back in", () => {
    expect(matchScores(data, [spanOf(2, 0.3), spanOf(0, 0), spanOf(1, 1)])).toEqual({ scores: [0, 1, 0.3], problems: [] });
  });

  it.each([
    ["a missing span", [spanOf(0, 0.1), spanOf(2, 0.2)], /1 row\(s\) have no span \(rows 1\)/],
    ["an unscored span (an error, not a 0)", [spanOf(0, 0.1), spanOf(1, null), spanOf(2, 0.2)], /1 span\(s\) are not scored yet \(rows 1\)/],
    ["a span that moved in time", [spanOf(0, 0.1), { ...spanOf(1, 0.1), startTimeUnixNano: "0" }, spanOf(2, 0.2)], /differ from their row: row 1 \(2014-04-01 00:05:00, 20.25\)/],
    ["a span with another duration", [spanOf(0, 0.1), { ...spanOf(1, 0.1), durationMs: 20.5 }, spanOf(2, 0.2)], /differ from their row/],
    ["a span of no row", [spanOf(0, 0.1), spanOf(1, 0.1), spanOf(2, 0.2), { ...spanOf(0, 0.1), spanId: "00000000000000aa" }], /1 span\(s\) match no row: 00000000000000aa/],
  ])("reports %s", (_name, spans, problem) => {
    const result = matchScores(data, spans);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(problem);
  });
});

describe("resultsCsv", () => {
  it("repeats the data file's timestamp and value (unshifted) and adds the score, one line per row", () => {
    expect(resultsCsv(data, [0, 0.5, 1])).toBe("timestamp,value,anomaly_score\n2014-04-01 00:00:00,-21.5,0\n2014-04-01 00:05:00,20.25,0.5\n2014-04-01 00:10:00,1e-3,1\n");
  });

  it.each([
    ["a missing score", [0, null, 1]],
    ["a score above 1", [0, 1.5, 1]],
    ["too few scores", [0, 1]],
  ])("refuses %s", (_name, scores) => {
    expect(() => resultsCsv(data, scores)).toThrow(rel);
  });

  it("writes <out>/<category>/<name>.csv", () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "nab-results-test-"));
    try {
      const file = writeResultsFile(out, data, [0.1, 0.2, 0.3]);
      expect(file).toBe(path.join(out, "artificialWithAnomaly", "art_daily_flatmiddle.csv"));
      expect(readFileSync(file, "utf8").split("\n")[3]).toBe("2014-04-01 00:10:00,1e-3,0.3");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
