// The first API key must not land in a log stream (collected, shipped, kept). On a terminal it is shown
// once; otherwise (a service, a container) it is written to a file only this user can read, and the
// log says where.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "./db/open";
import type { FirstRunResult } from "./bootstrap";

export const FIRST_KEY_FILE = "first-api-key.txt";

export function writeFirstKeyFile(dataDir: string, result: FirstRunResult, publicUrl: string): string {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, FIRST_KEY_FILE);
  const text = [
    `# API key of the project "${result.projectName}" (scope: ingest). Copy it into your service's configuration, then delete this file.`,
    result.apiKey,
    `# OTEL_EXPORTER_OTLP_ENDPOINT=${publicUrl}`,
    `# OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the key above>"`,
    "",
  ].join("\n");
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
