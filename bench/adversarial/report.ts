// The one table of npm run bench:detect: both generators, per scenario and class, targets beside figures.
import { CLEAN_TARGET_PER_10K, OVERALL_F1_TARGET, type ClassTarget } from "./classes";
import { overall, type ClassResult } from "./evaluate";
import type { ScenarioRun } from "./run-scenario";

export interface TableRow {
  suite: string;
  scenario: string;
  item: string;
  n: string;
  target: string;
  ok: boolean | null;
  result: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const num = (v: number) => Math.round(v).toLocaleString("en-US");
const secs = (s: number) => (s < 120 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${(s / 60).toFixed(1)} min`);

export function targetText(t: ClassTarget | null): string {
  if (!t) return "—";
  const parts: string[] = [];
  if (t.recall !== undefined) parts.push(`${t.withinCalls || t.withinSeconds ? "≥ " + Math.round(t.recall * 100) + " %" : "recall ≥ " + t.recall}`);
  if (t.withinCalls) parts.push(`≤ ${t.withinCalls} calls`);
  if (t.withinSeconds) parts.push(`≤ ${secs(t.withinSeconds)}`);
  if (t.maxRowsPerEpisode !== undefined) parts.push(`≤ ${t.maxRowsPerEpisode} rows/ep`);
  return parts.join(", ");
}

function classRow(scenario: string, c: ClassResult): TableRow {
  const parts = [`recall ${c.recall.toFixed(2)} (${c.detected}/${c.injected})`];
  if (c.withinTarget !== null) parts.push(`within target ${c.withinTarget}/${c.injected}`);
  if (c.delayCalls) parts.push(`delay p50 ${num(c.delayCalls.p50)} calls (max ${num(c.delayCalls.max)})`);
  if (c.delaySeconds) parts.push(`p50 ${secs(c.delaySeconds.p50)} (max ${secs(c.delaySeconds.max)})`);
  parts.push(`rows/ep ${c.rowsPerEpisode.mean.toFixed(1)} (max ${c.rowsPerEpisode.max})`);
  return { suite: "adversarial", scenario, item: `${c.cls} ${c.size}`, n: String(c.injected), target: targetText(c.target), ok: c.pass, result: parts.join(", ") };
}

function breakdown(byDetector: Record<string, number>): string {
  const e = Object.entries(byDetector).sort((a, b) => b[1] - a[1]);
  return e.length ? ` (${e.map(([d, n]) => `${d} ${n}`).join(", ")})` : "";
}

export function adversarialRows(runs: readonly ScenarioRun[]): TableRow[] {
  const rows: TableRow[] = [];
  for (const r of runs) {
    const ev = r.evaluation;
    const unit = r.unit === "calls" ? "calls" : "traces";
    if (r.kind === "clean") {
      const per = ev.falsePer10k;
      let ok = per <= CLEAN_TARGET_PER_10K;
      let target = `≤ ${CLEAN_TARGET_PER_10K} /10k`;
      let extra = "";
      const w = ev.watched;
      if (w) {
        ok = ok && w.rows <= w.max;
        target += `, ≤ ${w.max} on upgrade`;
        extra = `; ${w.rows} about the ${w.label}`;
      }
      rows.push({ suite: "adversarial", scenario: r.name, item: "clean", n: num(ev.cleanUnits), target, ok, result: `${ev.falseAlerts} false = ${per.toFixed(2)} /10k ${unit}${breakdown(ev.falseByDetector)}${extra}` });
    } else {
      rows.push({
        suite: "adversarial", scenario: r.name, item: "unexplained alerts", n: num(ev.cleanUnits), target: "—", ok: null,
        result: `${ev.falseAlerts} = ${ev.falsePer10k.toFixed(2)} /10k clean ${unit}${breakdown(ev.falseByDetector)}; precision ${pct(ev.precision)} (${ev.explained}/${ev.measured} rows)`,
      });
      const order = ["spike", "regression", "error_rate", "fast_failure", "empty_output", "token_blowup", "price_change", "traffic_drop", "traffic_surge", "novel_tool", "loop", "chain_length"];
      const sorted = [...ev.classes].sort((a, b) => order.indexOf(a.cls) - order.indexOf(b.cls) || a.size.localeCompare(b.size, "en", { numeric: true }));
      for (const c of sorted) rows.push(classRow(r.name, c));
    }
  }
  const injected = runs.filter((r) => r.kind === "injected");
  if (injected.length) {
    const o = overall(injected.map((r) => r.evaluation));
    rows.push({ suite: "adversarial", scenario: "overall", item: "injected episodes", n: String(o.injected), target: `F1 ≥ ${OVERALL_F1_TARGET}`, ok: o.f1 >= OVERALL_F1_TARGET, result: `precision ${pct(o.precision)} (${o.explained}/${o.measured} rows), recall ${pct(o.recall)} (${o.detected}/${o.injected}), F1 ${o.f1.toFixed(2)}` });
  }
  const clean = runs.filter((r) => r.kind === "clean");
  if (clean.length) {
    const passed = clean.filter((r) => r.evaluation.falsePer10k <= CLEAN_TARGET_PER_10K && (!r.evaluation.watched || r.evaluation.watched.rows <= r.evaluation.watched.max)).length;
    const units = clean.reduce((n, r) => n + r.evaluation.cleanUnits, 0);
    const falses = clean.reduce((n, r) => n + r.evaluation.falseAlerts, 0);
    rows.push({ suite: "adversarial", scenario: "overall", item: "clean scenarios", n: num(units), target: `all ≤ ${CLEAN_TARGET_PER_10K} /10k`, ok: passed === clean.length, result: `${passed}/${clean.length} scenarios within target; ${falses} false alerts in all = ${((falses / Math.max(1, units)) * 1e4).toFixed(2)} /10k` });
  }
  return rows;
}

export function printTable(rows: readonly TableRow[], log: (s: string) => void = console.log): void {
  const w = (k: keyof TableRow, min: number) => Math.max(min, ...rows.map((r) => String(r[k] ?? "").length));
  const ws = { suite: w("suite", 5), scenario: w("scenario", 8), item: w("item", 13), n: w("n", 1), target: w("target", 6) };
  const line = (c: Record<string, string>) =>
    `${c.suite!.padEnd(ws.suite)}  ${c.scenario!.padEnd(ws.scenario)}  ${c.item!.padEnd(ws.item)}  ${c.n!.padStart(ws.n)}  ${c.target!.padEnd(ws.target)}  ${c.ok!.padEnd(2)}  ${c.result}`;
  log(line({ suite: "suite", scenario: "scenario", item: "class / size", n: "n", target: "target", ok: "ok", result: "result" }));
  let last = "";
  for (const r of rows) {
    if (last && r.suite !== last) log("");
    last = r.suite;
    log(line({ ...r, ok: r.ok === null ? "" : r.ok ? "✓" : "✗" }));
  }
}
