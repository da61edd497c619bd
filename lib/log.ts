// Structured logs: one JSON line per event, with level and the process that spoke.
import { redactUrlCredentials } from "./net/redact";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Read directly (not through lib/env) so logging works even while configuration is invalid.
const threshold = ORDER[(process.env.ARGUS_LOG_LEVEL as Level) ?? "info"] ?? ORDER.info;
let processName = process.env.ARGUS_PROCESS_NAME ?? "argus";

export function setProcessName(name: string): void {
  processName = name;
}

const SECRET_KEYS = /authorization|password|secret|token|api[-_]?key|cookie|url/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== "string") out[key] = value;
    else out[key] = SECRET_KEYS.test(key) && key !== "path" ? "[redacted]" : redactUrlCredentials(value);
  }
  return out;
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold) return;
  const line = JSON.stringify(
    { time: new Date().toISOString(), level, proc: processName, pid: process.pid, msg: redactUrlCredentials(msg), ...redact(fields) },
    (_k, v) => (typeof v === "bigint" ? v.toString() : v),
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
