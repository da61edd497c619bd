// NAB data files: DIR/<category>/<name>.csv with header "timestamp,value" (NAB's layout, any categories).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface NabRow {
  /** The timestamp and value exactly as written in the file (results files repeat them). */
  timestamp: string;
  value: string;
  /** Epoch microseconds, UTC (NAB timestamps have no zone; NAB reads them as naive UTC). */
  us: number;
  num: number;
}

export interface NabFile {
  /** "<category>/<name>.csv", the key of NAB's label files. */
  rel: string;
  category: string;
  stem: string;
  rows: NabRow[];
  /** Added to every value before it becomes a duration: -min when the file has negative values, else 0. */
  shift: number;
}

const TIMESTAMP = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$/;

/** "YYYY-MM-DD HH:MM[:SS[.ffffff]]" as UTC epoch microseconds (the format score.mjs and NAB read). */
export function parseNabTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text);
  if (!m) throw new Error(`unparseable timestamp ${JSON.stringify(text)}`);
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
  return ms * 1000 + (m[7] ? Number(m[7].padEnd(6, "0")) : 0);
}

/** Parses one data file's text; `rel` names it in errors. */
export function parseNabCsv(text: string, rel: string): Omit<NabFile, "rel" | "category" | "stem"> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const ti = header.indexOf("timestamp");
  const vi = header.indexOf("value");
  if (ti < 0 || vi < 0) throw new Error(`${rel}: header must have timestamp and value columns, got ${JSON.stringify(lines[0] ?? "")}`);
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",");
    const timestamp = (cells[ti] ?? "").trim();
    const value = (cells[vi] ?? "").trim();
    const num = Number(value);
    if (value === "" || !Number.isFinite(num)) throw new Error(`${rel}: line ${i + 2}: value ${JSON.stringify(value)} is not a number`);
    try {
      return { timestamp, value, us: parseNabTimestamp(timestamp), num };
    } catch (error) {
      throw new Error(`${rel}: line ${i + 2}: ${(error as Error).message}`);
    }
  });
  if (rows.length === 0) throw new Error(`${rel}: no rows`);
  const min = rows.reduce((m, r) => Math.min(m, r.num), Infinity);
  return { rows, shift: min < 0 ? -min : 0 };
}

/** Every "<category>/<name>.csv" under DIR, sorted; `only` keeps the files whose rel, name or stem it lists. */
export function listNabFiles(dir: string, only?: readonly string[]): string[] {
  const rels: string[] = [];
  for (const category of readdirSync(dir, { withFileTypes: true })) {
    if (!category.isDirectory() || category.name.startsWith(".")) continue;
    for (const file of readdirSync(path.join(dir, category.name), { withFileTypes: true })) {
      if (file.isFile() && file.name.endsWith(".csv")) rels.push(`${category.name}/${file.name}`);
    }
  }
  rels.sort();
  if (!only?.length) return rels;
  const picked = rels.filter((rel) => only.some((o) => o === rel || o === path.posix.basename(rel) || o === path.posix.basename(rel, ".csv")));
  const unknown = only.filter((o) => !picked.some((rel) => o === rel || o === path.posix.basename(rel) || o === path.posix.basename(rel, ".csv")));
  if (unknown.length) throw new Error(`--files: no data file matches ${unknown.join(", ")}`);
  return picked;
}

export function readNabFile(dir: string, rel: string): NabFile {
  const [category, name] = rel.split("/") as [string, string];
  return { rel, category, stem: path.basename(name, ".csv"), ...parseNabCsv(readFileSync(path.join(dir, rel), "utf8"), rel) };
}
