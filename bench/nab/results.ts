// Spans read back → one anomaly score per data row → NAB results files (<out>/<category>/<name>.csv).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { durationNsOf, rowIds, startNsOf } from "./map-rows";
import type { NabFile } from "./read-data";

/** The fields of a GET /api/v1/spans item the benchmark uses. */
export interface ReadSpan {
  traceId: string;
  spanId: string;
  startTimeUnixNano: string;
  durationMs: number;
  score: number | null;
}

export interface MatchResult {
  /** One score per row, in file order; null where a problem was found. */
  scores: (number | null)[];
  /** Missing, extra, altered or unscored spans, described (empty when every row has its score). */
  problems: string[];
}

const MAX_LISTED = 5;

/** Pairs each row with its span by span id, and checks the span is the row: same start, same duration. */
export function matchScores(file: NabFile, spans: readonly ReadSpan[]): MatchResult {
  const byId = new Map<string, ReadSpan>();
  const extra: string[] = [];
  for (const s of spans) {
    if (byId.has(s.spanId)) extra.push(`${s.spanId} (twice)`);
    byId.set(s.spanId, s);
  }
  const missing: number[] = [];
  const altered: string[] = [];
  const unscored: number[] = [];
  const scores = file.rows.map((row, i) => {
    const { traceId, spanId } = rowIds(file.rel, i);
    const span = byId.get(spanId);
    byId.delete(spanId);
    if (!span || span.traceId !== traceId) {
      missing.push(i);
      return null;
    }
    const wantDurationMs = Number(durationNsOf(row.num, file.shift)) / 1e6;
    if (span.startTimeUnixNano !== startNsOf(row.us).toString() || Math.abs(span.durationMs - wantDurationMs) > 1e-6 * Math.max(1, wantDurationMs)) {
      altered.push(`row ${i} (${row.timestamp}, ${row.value}) came back starting at ${span.startTimeUnixNano} ns lasting ${span.durationMs} ms`);
      return null;
    }
    if (span.score === null) {
      unscored.push(i);
      return null;
    }
    return span.score;
  });
  extra.push(...byId.keys());
  const problems: string[] = [];
  const list = (items: Array<string | number>) => items.slice(0, MAX_LISTED).join(", ") + (items.length > MAX_LISTED ? ", …" : "");
  if (missing.length) problems.push(`${missing.length} row(s) have no span (rows ${list(missing)})`);
  if (unscored.length) problems.push(`${unscored.length} span(s) are not scored yet (rows ${list(unscored)})`);
  if (altered.length) problems.push(`${altered.length} span(s) differ from their row: ${list(altered)}`);
  if (extra.length) problems.push(`${extra.length} span(s) match no row: ${list(extra)}`);
  return { scores, problems };
}

/** NAB's results format: the data file's timestamp and value, and the anomaly score, one line per row. */
export function resultsCsv(file: NabFile, scores: readonly (number | null)[]): string {
  if (scores.length !== file.rows.length) throw new Error(`${file.rel}: ${scores.length} scores for ${file.rows.length} rows`);
  const lines = ["timestamp,value,anomaly_score"];
  file.rows.forEach((row, i) => {
    const score = scores[i];
    if (score === null || score === undefined || !(score >= 0 && score <= 1)) throw new Error(`${file.rel}: row ${i} has no anomaly score in [0, 1] (got ${score})`);
    lines.push(`${row.timestamp},${row.value},${score}`);
  });
  return lines.join("\n") + "\n";
}

export function writeResultsFile(outDir: string, file: NabFile, scores: readonly (number | null)[]): string {
  const target = path.join(outDir, file.category, `${file.stem}.csv`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, resultsCsv(file, scores));
  return target;
}
