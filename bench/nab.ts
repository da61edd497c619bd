// `npm run bench:nab -- [--data DIR] [--provider sqlite|postgresql] [--per-file] [--files a,b] [--keep] [--out DIR]`
//
// NAB (Numenta Anomaly Benchmark) through the real product. For any NAB layout DIR/<category>/<name>.csv
// (header timestamp,value): starts the production web server and the scorer (and retention) workers on a
// fresh database (bench/nab/product.ts; needs `npm run build`), creates one project with its own API key per
// data file, exports every row as a span over OTLP/JSON to POST /v1/traces, waits until GET /api/v1/status
// reports every span scored, reads every span back through GET /api/v1/spans, writes NAB results files
// (<out>/<category>/<name>.csv: timestamp,value,anomaly_score) and scores them with NAB's scorer twice: at
// NAB's corpus-optimised threshold and at 0.5, the product's default alert threshold.
//
// Mapping of a row to a span (fixed, not tuned to any file; bench/nab/map-rows.ts, docs/detection.md#nab):
//   one project per data file ("nab <category>/<name>.csv"), service.name "nab";
//   each row is its own trace with one root span, a tool call: gen_ai.operation.name = execute_tool,
//   gen_ai.tool.name = "<category>/<file stem>", span name "execute_tool <category>/<file stem>", kind INTERNAL;
//   start = the row's timestamp (UTC); duration = the row's value in milliseconds, in whole nanoseconds (a file
//   with negative values has every value shifted by -min, printed); status OK;
//   trace id / span id = first 16 / next 8 bytes of sha256("nab:<category>/<name>.csv:<row index>").
//   Each file is exported in time order in batches of up to 1,000 spans (each acknowledged before the next);
//   several files are in flight at once (--concurrency, default 4). Spans are read back 5,000 a page, two files
//   at a time (--read-concurrency), and matched back to rows by span id.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseNabArgs, USAGE, type NabArgs } from "./nab/args";
import { runNabScorer } from "./nab/nab-scorer";
import { hasProductionBuild } from "./child-processes";
import { startProduct, type Product } from "./nab/product";
import { listNabFiles, readNabFile, type NabFile } from "./nab/read-data";
import { perFileTable, scoreTable, timingLines } from "./nab/report";
import { matchScores, writeResultsFile } from "./nab/results";
import { warmUpSpanList } from "./nab/http";
import { exportFile, forEachLimited, readBackFile, waitUntilScored, type FileRun } from "./nab/steps";

const root = path.resolve(import.meta.dirname, "..");
const FIXED_THRESHOLD = 0.5;
const OUT_MARKER = ".argus-nab-results";

function fail(message: string): never {
  console.error(`bench:nab: ${message}`);
  process.exit(1);
}

/** A fresh results dir: a new temporary one, or --out emptied if it holds an earlier run's results (or nothing). */
function prepareOut(out: string | null): string {
  if (!out) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "argus-nab-results-"));
    writeFileSync(path.join(dir, OUT_MARKER), "");
    return dir;
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(path.join(out, OUT_MARKER))) throw new Error(`--out ${out} is not empty and holds no earlier bench:nab results; choose a new or empty directory`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, OUT_MARKER), "");
  return out;
}

const projectName = (file: NabFile) => `nab ${file.rel}`;

function describeData(files: NabFile[]): string[] {
  const lines: string[] = [];
  let [first, last] = [Infinity, -Infinity];
  for (const f of files) for (const r of f.rows) [first, last] = [Math.min(first, r.us), Math.max(last, r.us)];
  const day = (us: number) => new Date(us / 1000).toISOString().slice(0, 10);
  lines.push(`data: ${files.length} files, ${files.reduce((n, f) => n + f.rows.length, 0).toLocaleString("en-US")} rows, timestamps from ${day(first)} to ${day(last)} (UTC)`);
  for (const f of files.filter((f) => f.shift > 0)) lines.push(`note: ${f.rel} has negative values: every value of the file is shifted by +${f.shift} ms to make a duration`);
  return lines;
}

async function run(args: NabArgs, files: NabFile[], product: Product): Promise<void> {
  const out = prepareOut(args.out);
  const runs: FileRun[] = files.map((file) => ({ file, key: product.keys.get(projectName(file))! }));
  const rows = files.reduce((n, f) => n + f.rows.length, 0);

  const t0 = performance.now();
  await forEachLimited(runs, args.concurrency, (r) => exportFile(product.url, r, args.batch));
  const tIngested = performance.now();
  console.log(`exported ${rows.toLocaleString("en-US")} spans in ${((tIngested - t0) / 1000).toFixed(1)} s; waiting for the scorer…`);
  await waitUntilScored({
    url: product.url,
    runs,
    timeoutMs: args.timeoutS * 1000,
    checkAlive: () => product.assertRunning(),
    onProgress: (n, total) => console.log(`  scored ${n.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`),
  });
  const tScored = performance.now();

  const problems: string[] = [];
  let pages = 0;
  const warmUpMs = await warmUpSpanList(product.url, runs[0]!.key);
  const cpuMeter = await product.meterServerCpu();
  const scores = new Map<FileRun, (number | null)[]>();
  await forEachLimited(runs, args.readConcurrency, async (r) => {
    const back = await readBackFile(product.url, r, args.pageSize);
    pages += back.pages;
    const match = matchScores(r.file, back.spans);
    problems.push(...match.problems.map((p) => `${r.file.rel}: ${p}`));
    scores.set(r, match.scores);
  });
  const tRead = performance.now();
  const readCpuMs = await cpuMeter.stop();
  if (problems.length) throw new Error(`the spans read back do not match the data:\n  ${problems.join("\n  ")}`);
  console.log("check: every row was accepted, stored, scored and read back with its own timestamp and duration");
  for (const r of runs) writeResultsFile(out, r.file, scores.get(r)!);

  const input = { scorer: args.scorer, resultsDir: out, dataDir: args.data, labels: args.labels, profiles: args.profiles };
  const [optimised, atFixed] = await Promise.all([runNabScorer(input), runNabScorer({ ...input, threshold: FIXED_THRESHOLD })]);
  for (const w of optimised.warnings) console.log(`scorer warning: ${w}`);
  if (optimised.missing.length) console.log(`note: ${optimised.missing.length} labelled file(s) not in this run; scores are relative to the ${optimised.files} scored`);
  console.log(`\nresults: ${out}\n`);
  console.log(scoreTable(optimised, atFixed, FIXED_THRESHOLD));
  if (args.perFile) console.log(perFileTable(optimised, atFixed, FIXED_THRESHOLD));
  console.log(
    "\n" +
      timingLines({
        rows, files: files.length, ingestMs: tIngested - t0, scoredAfterMs: tScored - t0, scoringTailMs: tScored - tIngested,
        readBackMs: tRead - tScored, readBackPages: pages, readConcurrency: args.readConcurrency, readBackCpuMs: readCpuMs, warmUpMs, totalMs: performance.now() - started,
      }) +
      `\nmachine     ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min) at the end`,
  );
}

const started = performance.now();
let args: NabArgs;
try {
  args = parseNabArgs(process.argv.slice(2), root);
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
for (const [what, file] of [["--data", args.data], ["--labels", args.labels], ["--profiles", args.profiles], ["--scorer", args.scorer]] as const) {
  if (!existsSync(file)) fail(`${what} ${file} does not exist`);
}
if (!hasProductionBuild(root)) fail("no production build (.next/BUILD_ID is missing): run `npm run build` first");

let files: NabFile[];
try {
  files = listNabFiles(args.data, args.files).map((rel) => readNabFile(args.data, rel));
} catch (error) {
  fail((error as Error).message);
}
if (files.length === 0) fail(`no <category>/<name>.csv files under ${args.data}`);
console.log(`bench:nab on ${args.provider}: ${args.data}`);
for (const line of describeData(files)) console.log(line);

const product = await startProduct({ root, provider: args.provider, pgBase: args.pg, projects: files.map(projectName) });
console.log(`product: ${product.url} (web, scorer and retention workers; ${product.provider} ${product.provider === "sqlite" ? product.dataDir : product.databaseUrl})`);
let failed = false;
try {
  await run(args, files, product);
} catch (error) {
  failed = true;
  console.error(`bench:nab: ${(error as Error).message}`);
} finally {
  await product.stop({ keep: args.keep || failed });
  if (args.keep || failed) console.log(`kept the database and the server logs in ${product.dataDir}${product.provider === "postgresql" ? ` and ${product.databaseUrl}` : ""}`);
}
process.exit(failed ? 1 : 0);
