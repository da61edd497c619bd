// npm run bench:detect — detection quality on two generators, worker throughput and detection latency.
//   tsx bench/detect.ts [--suite original|adversarial|all] [--scenario NAME ...] [--quick] [--jobs 2]
//                       [--provider sqlite|postgresql] [--seed 42] [--traces 60000] [--skip-live]
// original: the seeded workload of bench/generator (quality, backlog throughput, live latency).
// adversarial: the scenarios of bench/traffic, each replayed in virtual time on a fresh database
// (bench/adversarial). Prints one table for both and writes the full results to bench/results/.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Provider } from "@/tests/helpers/db";
import { adversarialRows, printTable, type TableRow } from "./adversarial/report";
import { runScenario, type ScenarioRun } from "./adversarial/run-scenario";
import { originalRows, runOriginal, type OriginalResult } from "./detect-original";
import { DEFAULT_WORKLOAD } from "./generator/generate-workload";
import { findScenarios } from "./traffic/scenarios";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "sqlite" },
    traces: { type: "string", default: String(DEFAULT_WORKLOAD.traces) },
    seed: { type: "string", default: String(DEFAULT_WORKLOAD.seed) },
    "skip-live": { type: "boolean", default: false },
    suite: { type: "string" },
    scenario: { type: "string", multiple: true, default: [] },
    quick: { type: "boolean", default: false },
    jobs: { type: "string", default: "2" },
    /** Internal: run one adversarial scenario and write its result to --out. */
    child: { type: "string" },
    out: { type: "string" },
  },
});
const provider = values.provider as Provider;
const seed = Number(values.seed);
const scale = values.quick ? 0.12 : 1;

if (values.child) {
  const [cfg] = findScenarios([values.child]);
  const run = await runScenario(cfg!, { seed, scale, provider });
  writeFileSync(values.out!, JSON.stringify(run));
  process.exit(0);
}

const names = values.scenario.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
const suite = values.suite ?? (names.length ? "adversarial" : "all");
if (!["original", "adversarial", "all"].includes(suite)) throw new Error(`--suite must be original, adversarial or all (got ${suite})`);
const started = Date.now();
const rows: TableRow[] = [];
let original: OriginalResult | null = null;
const runs: ScenarioRun[] = [];

if (suite !== "adversarial") {
  console.log("== original generator");
  original = await runOriginal({ provider, traces: Math.round(Number(values.traces) * (values.quick ? 0.25 : 1)), seed, skipLive: values["skip-live"] || values.quick });
  rows.push(...originalRows(original));
}

if (suite !== "original") {
  const scenarios = findScenarios(names);
  const jobs = Math.max(1, Math.min(Number(values.jobs) || 1, scenarios.length));
  console.log(`\n== adversarial generator: ${scenarios.length} scenarios${values.quick ? " (quick)" : ""}, ${jobs} at a time (${provider})`);
  const report = (r: ScenarioRun) => {
    const ev = r.evaluation;
    const what = r.kind === "clean" ? `${ev.falseAlerts} false / ${ev.cleanUnits} clean ${r.unit}` : `${ev.episodes.filter((e) => e.detected).length}/${ev.episodes.length} episodes detected, ${ev.falseAlerts} unexplained`;
    console.log(`  ${r.name.padEnd(16)} ${String(r.stats.runs).padStart(6)} runs ${String(r.stats.spans).padStart(7)} spans ${String(r.stats.requests).padStart(6)} requests ${String(r.stats.ticks).padStart(6)} ticks  ${r.seconds.replay.toFixed(0).padStart(4)} s (CPU ${r.seconds.cpu.toFixed(0)} s)  ${what}`);
  };
  if (jobs === 1) {
    for (const cfg of scenarios) {
      const r = await runScenario(cfg, { seed, scale, provider });
      report(r);
      runs.push(r);
    }
  } else {
    const dir = path.join(os.tmpdir(), `argus-bench-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const queue = [...scenarios];
    const results = new Map<string, ScenarioRun>();
    const worker = async () => {
      for (let cfg = queue.shift(); cfg; cfg = queue.shift()) {
        const out = path.join(dir, `${cfg.name}.json`);
        const args = ["--import", "tsx", "bench/detect.ts", "--child", cfg.name, "--out", out, "--seed", String(seed), "--provider", provider, ...(values.quick ? ["--quick"] : [])];
        const code = await new Promise<number>((resolve) => spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] }).once("exit", (c) => resolve(c ?? 1)));
        if (code !== 0) throw new Error(`scenario ${cfg.name} failed (exit ${code})`);
        const r = JSON.parse(readFileSync(out, "utf8")) as ScenarioRun;
        report(r);
        results.set(cfg.name, r);
      }
    };
    try {
      await Promise.all(Array.from({ length: jobs }, worker));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const cfg of scenarios) runs.push(results.get(cfg.name)!);
  }
  rows.push(...adversarialRows(runs));
}

const seconds = (Date.now() - started) / 1000;
console.log("");
printTable(rows);
console.log(`\n${(seconds / 60).toFixed(1)} min; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; seed ${seed}${values.quick ? "; quick" : ""}`);

const dir = path.join(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `detect-${new Date().toISOString().replace(/[:.]/g, "-")}${values.quick ? "-quick" : ""}.json`);
writeFileSync(file, JSON.stringify({ startedAt: new Date(started).toISOString(), seconds, provider, seed, quick: values.quick, suite, original, adversarial: runs, table: rows }, null, 1));
console.log(`results: ${path.relative(process.cwd(), file)}`);
