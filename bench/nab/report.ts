// Text tables of the benchmark's output (pure).
import type { ScorerReport } from "./nab-scorer";

export const PROFILE_ORDER = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"];

const fixed = (n: number, digits = 2) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function profilesOf(report: ScorerReport): string[] {
  const names = Object.keys(report.profiles);
  return [...PROFILE_ORDER.filter((p) => names.includes(p)), ...names.filter((p) => !PROFILE_ORDER.includes(p))];
}

/** Threshold as NAB prints it: 1.1 means "no detection at all" (the sweep's first entry). */
export function formatThreshold(t: number): string {
  return Number.isInteger(t) ? t.toFixed(1) : String(Number(t.toPrecision(6)));
}

/** profile × (score at NAB's optimised threshold, that threshold, score at the fixed threshold). */
export function scoreTable(optimised: ScorerReport, atFixed: ScorerReport, fixedThreshold: number): string {
  const lines = [
    `NAB normalised score (100 = perfect, 0 = null detector), ${optimised.files} files, ${optimised.windows} windows`,
    `${pad("profile", 20)} ${lpad("optimised", 10)} ${lpad("threshold", 10)}  ${lpad(`at ${fixedThreshold}`, 9)}   TP/FP/FN at ${fixedThreshold} (rows)`,
  ];
  for (const name of profilesOf(optimised)) {
    const o = optimised.profiles[name]!;
    const f = atFixed.profiles[name];
    lines.push(
      `${pad(name, 20)} ${lpad(fixed(o.normalized), 10)} ${lpad(formatThreshold(o.threshold), 10)}  ${lpad(f ? fixed(f.normalized) : "-", 9)}   ${f ? `${f.tp}/${f.fp}/${f.fn}` : "-"}`,
    );
  }
  return lines.join("\n");
}

/** Per-file raw scores of each profile, at the optimised and at the fixed threshold. */
export function perFileTable(optimised: ScorerReport, atFixed: ScorerReport, fixedThreshold: number): string {
  const lines: string[] = [];
  for (const name of profilesOf(optimised)) {
    const o = optimised.profiles[name]!;
    const f = new Map((atFixed.profiles[name]?.perFile ?? []).map((r) => [r.file, r]));
    lines.push("", `[${name}] raw score per file: at the optimised threshold ${formatThreshold(o.threshold)} | at ${fixedThreshold} (TP/FP/FN rows)`);
    for (const r of o.perFile ?? []) {
      const at = f.get(r.file);
      lines.push(`  ${lpad(fixed(r.score, 3), 9)} | ${lpad(at ? fixed(at.score, 3) : "-", 9)} ${lpad(at ? `${at.tp}/${at.fp}/${at.fn}` : "-", 16)}  ${r.file}`);
    }
  }
  return lines.join("\n");
}

export interface Timings {
  rows: number;
  files: number;
  ingestMs: number;
  /** From the first export to the last span scored. */
  scoredAfterMs: number;
  /** From the last export acknowledged to the last span scored. */
  scoringTailMs: number;
  readBackMs: number;
  readBackPages: number;
  /** Requests in flight while reading back. */
  readConcurrency: number;
  /** CPU of the server (web process, and PostgreSQL's backends) while reading back. */
  readBackCpuMs: number;
  /** The span list's first request (not in the read-back figures). */
  warmUpMs: number;
  totalMs: number;
}

const rate = (n: number, ms: number) => `${Math.round(n / Math.max(ms, 1) * 1000).toLocaleString("en-US")} spans/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function timingLines(t: Timings): string {
  return [
    `ingest      ${t.rows.toLocaleString("en-US")} spans of ${t.files} files in ${secs(t.ingestMs)} (${rate(t.rows, t.ingestMs)})`,
    `scored      every span ${secs(t.scoredAfterMs)} after the first export (${secs(t.scoringTailMs)} after the last one was acknowledged)`,
    `read back   ${t.rows.toLocaleString("en-US")} spans in ${t.readBackPages} pages in ${secs(t.readBackMs)} (${rate(t.rows, t.readBackMs)}, ${t.readConcurrency} request(s) in flight; server CPU ${secs(t.readBackCpuMs)}: ${rate(t.rows, t.readBackCpuMs).replace("/s", " per CPU-second")}; after a first request of ${t.warmUpMs.toFixed(0)} ms)`,
    `total       ${secs(t.totalMs)}`,
  ].join("\n");
}
