// Runs the validated NAB scorer (score.mjs) on a results dir and returns its JSON report.
import { spawn } from "node:child_process";

export interface ProfileScore {
  threshold: number;
  rawScore: number;
  normalized: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  perFile?: Array<{ file: string; score: number; tp: number; tn: number; fp: number; fn: number }>;
}

export interface ScorerReport {
  files: number;
  windows: number;
  missing: string[];
  warnings: string[];
  profiles: Record<string, ProfileScore>;
}

export interface ScorerInput {
  scorer: string;
  resultsDir: string;
  dataDir: string;
  labels: string;
  profiles: string;
  /** Fixed threshold; NAB's corpus-optimised threshold when absent. */
  threshold?: number;
}

export function scorerArgs(input: ScorerInput): string[] {
  return [
    input.scorer, input.resultsDir, "--data", input.dataDir, "--windows", input.labels, "--profiles", input.profiles, "--allow-missing", "--per-file", "--json",
    ...(input.threshold !== undefined ? ["--threshold", String(input.threshold)] : []),
  ];
}

export function runNabScorer(input: ScorerInput): Promise<ScorerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, scorerArgs(input), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code !== 0) return reject(new Error(`${input.scorer} exited with ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as ScorerReport);
      } catch (error) {
        reject(new Error(`${input.scorer} printed no JSON report (${(error as Error).message}); stderr: ${stderr}`));
      }
    });
  });
}
