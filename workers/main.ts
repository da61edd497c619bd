// Entry point of one worker process: `tsx workers/main.ts <name>`.
import { prepareInstanceKey } from "@/lib/crypto/instance-key";
import { closeDb, getDb, getRaw } from "@/lib/db";
import { ConfigError, getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { startTelemetry, stopTelemetry } from "@/lib/telemetry";
import { findWorker, WORKERS } from "./registry";
import { runWorker } from "./runtime";

const name = process.argv[2];
const definition = name ? findWorker(name) : undefined;
if (!definition) {
  console.error(`usage: tsx workers/main.ts <${WORKERS.map((w) => w.name).join("|")}>`);
  process.exit(2);
}

try {
  // This process's dependencies, constructed here and handed down.
  const deps = { db: getDb(), raw: getRaw(), env: getEnv() };
  await prepareInstanceKey(deps.db, deps.env);
  startTelemetry(`argus-worker-${definition.name}`);
  await runWorker(definition, deps);
  await closeDb();
  await stopTelemetry();
  process.exit(0);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  log.error("worker crashed", { worker: definition.name, error: (error as Error)?.stack ?? String(error) });
  process.exit(1);
}
