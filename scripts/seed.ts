// `npm run seed -- [--spans 20000] [--hours 24] [--project default] [--seed 42]`: synthetic agent runs written
// through the real ingestion path (spans, traces and span_rollups), into DATABASE_URL / ARGUS_DATA_DIR. Most runs are
// turns of conversations (session.id, user.id: 2–8 turns each, 60 users); see seed-sessions.ts.
import { parseArgs } from "node:util";
import { ensureProject } from "@/lib/auth/api-keys";
import { closeDb, getDb, getRaw } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/setup";
import { getEnv } from "@/lib/env";
import { seedSpans } from "./seed-run";

const { values } = parseArgs({
  options: {
    spans: { type: "string", default: "20000" },
    hours: { type: "string", default: "24" },
    project: { type: "string", default: "default" },
    seed: { type: "string", default: "42" },
  },
});

const env = getEnv();
await migrateDatabase(env);
const project = await ensureProject(getDb(), values.project!);
const started = Date.now();
let lastReport = 0;
const written = await seedSpans({
  raw: getRaw(),
  projectId: project.id,
  spans: Number(values.spans),
  hours: Number(values.hours),
  seed: Number(values.seed),
  endMs: Date.now(),
  onProgress: (n) => {
    if (n - lastReport < 100_000) return;
    lastReport = n;
    process.stdout.write(`  ${n.toLocaleString()} spans (${Math.round(n / ((Date.now() - started) / 1000)).toLocaleString()}/s)\n`);
  },
});
console.log(`seeded ${written.toLocaleString()} spans into project "${project.name}" (${env.databaseProvider}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await closeDb();
