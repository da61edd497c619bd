// A worker process whose first tick never returns (like a database call lost in a failover), for the
// runtime's stuck-tick watchdog test. DATABASE_URL must point at a migrated database.
import { getDb, getRaw } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { defineWorker, runWorker } from "@/workers/runtime";

await runWorker(
  defineWorker({
    name: "stuck-test",
    maxTickMs: 500,
    start: () => ({ tick: () => new Promise<number>(() => {}) }),
  }),
  { db: getDb(), raw: getRaw(), env: getEnv() },
);
