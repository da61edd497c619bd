// Command line of `npm run bench:nab`, with defaults relative to the repository root.
import path from "node:path";
import { parseArgs } from "node:util";
import type { Provider } from "./product";

export interface NabArgs {
  data: string;
  labels: string;
  profiles: string;
  scorer: string;
  out: string | null;
  provider: Provider;
  pg: string;
  keep: boolean;
  perFile: boolean;
  files: string[];
  /** Files exported at the same time. */
  concurrency: number;
  /** Files read back at the same time. */
  readConcurrency: number;
  batch: number;
  pageSize: number;
  timeoutS: number;
}

export const USAGE = `usage: npm run bench:nab -- [--data DIR] [--labels FILE] [--profiles FILE] [--scorer FILE] [--out DIR]
         [--provider sqlite|postgresql] [--pg URL] [--keep] [--per-file] [--files a,b] [--concurrency N] [--read-concurrency N] [--timeout S]`;

export function parseNabArgs(argv: string[], root: string): NabArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: "string" },
      labels: { type: "string" },
      profiles: { type: "string" },
      scorer: { type: "string" },
      out: { type: "string" },
      provider: { type: "string", default: "sqlite" },
      pg: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
      keep: { type: "boolean", default: false },
      "per-file": { type: "boolean", default: false },
      files: { type: "string" },
      concurrency: { type: "string", default: "4" },
      "read-concurrency": { type: "string", default: "2" },
      batch: { type: "string", default: "1000" },
      "page-size": { type: "string", default: "5000" },
      timeout: { type: "string", default: "1200" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const provider = values.provider;
  if (provider !== "sqlite" && provider !== "postgresql") throw new Error(`--provider must be sqlite or postgresql, got ${provider}`);
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
    return n;
  };
  const data = path.resolve(values.data ?? path.join(root, "..", "shared", "datasets", "nab-dev", "data"));
  return {
    data,
    labels: path.resolve(values.labels ?? path.join(data, "..", "labels", "combined_windows.json")),
    profiles: path.resolve(values.profiles ?? path.join(data, "..", "config", "profiles.json")),
    scorer: path.resolve(values.scorer ?? path.join(root, "..", "shared", "tools", "nab", "score.mjs")),
    out: values.out ? path.resolve(values.out) : null,
    provider,
    pg: values.pg,
    keep: values.keep,
    perFile: values["per-file"],
    files: values.files ? values.files.split(",").map((f) => f.trim()).filter(Boolean) : [],
    concurrency: int("concurrency", values.concurrency, 1, 64),
    readConcurrency: int("read-concurrency", values["read-concurrency"], 1, 64),
    // The task fixes batches of up to 1,000 spans; smaller ones are allowed for experiments.
    batch: int("batch", values.batch, 1, 1000),
    pageSize: int("page-size", values["page-size"], 1, 5000),
    timeoutS: int("timeout", values.timeout, 1, 86_400),
  };
}
