// The benchmark's steps against a running product: export every file, wait for the scorer, read back.
import { exportBatches, otlpRequest } from "./map-rows";
import { exportSpans, readAllSpans, readStatus } from "./http";
import type { NabFile } from "./read-data";
import type { ReadSpan } from "./results";

export interface FileRun {
  file: NabFile;
  key: string;
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Exports a file's rows in time order, one batch after the other (each acknowledged before the next). */
export async function exportFile(url: string, run: FileRun, batchSize: number): Promise<void> {
  for (const batch of exportBatches(run.file, batchSize)) await exportSpans(url, run.key, otlpRequest(run.file, batch));
}

/** Polls GET /api/v1/status of every file's project until each has all its rows ingested and scored. */
export async function waitUntilScored(options: {
  url: string;
  runs: readonly FileRun[];
  timeoutMs: number;
  checkAlive: () => void;
  onProgress: (scored: number, total: number) => void;
}): Promise<void> {
  const total = options.runs.reduce((n, r) => n + r.file.rows.length, 0);
  const done = new Set<FileRun>();
  const scored = new Map<FileRun, number>();
  const deadline = Date.now() + options.timeoutMs;
  let lastReport = 0;
  for (;;) {
    for (const run of options.runs) {
      if (done.has(run)) continue;
      const counts = await readStatus(options.url, run.key);
      if (counts.ingested !== run.file.rows.length) {
        throw new Error(`${run.file.rel}: the product reports ${counts.ingested} spans ingested for ${run.file.rows.length} rows exported and acknowledged`);
      }
      scored.set(run, counts.scored);
      if (counts.scored >= counts.ingested) done.add(run);
    }
    const n = [...scored.values()].reduce((a, b) => a + b, 0);
    if (done.size === options.runs.length) return options.onProgress(n, total);
    if (Date.now() - lastReport >= 5000) {
      options.onProgress(n, total);
      lastReport = Date.now();
    }
    options.checkAlive();
    if (Date.now() > deadline) throw new Error(`the scorer scored ${n} of ${total} spans within ${options.timeoutMs / 1000} s (raise --timeout, or see the worker:scorer log with --keep)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The span start range covering a file's rows, in epoch ms: [first row, last row + 1 ms). */
export function fileRange(file: NabFile): { fromMs: number; toMs: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const r of file.rows) {
    min = Math.min(min, r.us);
    max = Math.max(max, r.us);
  }
  return { fromMs: Math.floor(min / 1000), toMs: Math.floor(max / 1000) + 1 };
}

export async function readBackFile(url: string, run: FileRun, pageSize: number): Promise<{ spans: ReadSpan[]; pages: number }> {
  return readAllSpans(url, run.key, fileRange(run.file), pageSize);
}
