// The real product in child processes, as `npm start` runs it: a fresh database (a temporary SQLite data dir,
// or a new PostgreSQL database), migrations, the production web server (needs `npm run build`) and the scorer
// and retention workers. Logs go to files in the data dir.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createApiKey, ensureProject } from "@/lib/auth/api-keys";
import { createPrismaClient, type Db } from "@/lib/db";
import { pgConfigFromUrl } from "@/lib/db/open";
import { migrateDatabase } from "@/lib/db/setup";
import { startProcesses } from "../child-processes";
import { processTreeCpuMs } from "../process-tree";

export type Provider = "sqlite" | "postgresql";
const WORKERS = ["scorer", "retention"] as const;

export interface Product {
  url: string;
  provider: Provider;
  dataDir: string;
  databaseUrl: string;
  /** API key of each project named in startProduct's `projects`. */
  keys: Map<string, string>;
  /** Starts measuring the CPU of the web process and, on PostgreSQL, of the database's backends; stop() gives ms. */
  meterServerCpu(): Promise<{ stop(): Promise<number> }>;
  /** Throws when a child process exited. */
  assertRunning(): void;
  stop(options: { keep: boolean }): Promise<void>;
}

async function freshPgDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(base);
  const name = `argus_nab_${randomBytes(4).toString("hex")}`;
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const admin = new pg.Client({ ...pgConfigFromUrl(base), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Creates the projects and their keys (before the processes start: no other writer then), then starts them. */
export async function startProduct(options: { root: string; provider: Provider; pgBase: string; projects: readonly string[] }): Promise<Product> {
  const { root, provider } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "argus-nab-"));
  const pgDb = provider === "postgresql" ? await freshPgDatabase(options.pgBase) : null;
  const databaseUrl = pgDb ? pgDb.url : `file:${path.join(dataDir, "argus.db")}`;
  const target = { databaseProvider: provider, databaseTarget: pgDb ? pgDb.url : path.join(dataDir, "argus.db") } as const;
  const removeData = async () => {
    await pgDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let db: Db | null = null;
  try {
    await migrateDatabase(target);
    db = createPrismaClient(target);
    const keys = new Map<string, string>();
    for (const name of options.projects) {
      const project = await ensureProject(db, name);
      keys.set(name, (await createApiKey(db, project.id, "bench-nab", ["ingest", "read"])).key);
    }
    const processes = await startProcesses({ root, databaseUrl, dataDir, logDir: dataDir, workers: WORKERS });
    const prisma = db;
    return {
      url: processes.url,
      provider,
      dataDir,
      databaseUrl,
      keys,
      async meterServerCpu() {
        // Per process: a PostgreSQL backend that ends meanwhile drops out instead of making the sum negative.
        const read = async () => {
          const pids = [processes.pids().web ?? 0];
          if (provider === "postgresql") {
            const backends = await prisma.$queryRawUnsafe<Array<{ pid: number }>>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
            pids.push(...backends.map((b) => Number(b.pid)));
          }
          return new Map(pids.map((pid) => [pid, processTreeCpuMs(pid)]));
        };
        const before = await read();
        return {
          async stop() {
            let sum = 0;
            for (const [pid, ms] of await read()) sum += ms - (before.get(pid) ?? 0);
            return sum;
          },
        };
      },
      assertRunning: processes.assertRunning,
      async stop({ keep }) {
        await prisma.$disconnect();
        await processes.stop();
        if (!keep) await removeData();
      },
    };
  } catch (error) {
    await db?.$disconnect();
    throw new Error(`${(error as Error).message} (the data and logs stay in ${dataDir})`);
  }
}
