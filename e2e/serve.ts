// Playwright's web server: a fresh SQLite data dir, migrations, then the production build (scripts/web.ts)
// and the workers, without rebuilding (run `npm run build` first). Stops everything on SIGTERM/SIGINT.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDatabase } from "@/lib/db/setup";
import { getEnv } from "@/lib/env";
import { webServerArgs } from "@/lib/server/web-command";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build: run `npm run build` before the e2e tests");
  process.exit(1);
}
const env = getEnv();
if (!process.argv.includes("--keep-data")) rmSync(env.ARGUS_DATA_DIR, { recursive: true, force: true });
await migrateDatabase(env);

const children: ChildProcess[] = [];
const run = (name: string, args: string[]) => {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_ENV: "production", ARGUS_PROCESS_NAME: name, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code) => {
    if (!stopping) console.error(`${name} exited with ${code}`);
  });
  children.push(child);
};
let stopping = false;
const stop = () => {
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

run("web", webServerArgs(root, env.PORT, "127.0.0.1"));
for (const worker of ["scorer", "notifier"]) run(`worker:${worker}`, ["--import", "tsx", path.join(root, "workers", "main.ts"), worker]);
