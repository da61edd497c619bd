// A throwaway PostgreSQL cluster under /tmp on its own port, so tests can stop and restart the server
// without touching the machine's shared cluster (127.0.0.1:5432) that other tests use.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const BIN = "/usr/lib/postgresql/15/bin";

export interface PgCluster {
  port: number;
  /** Base URL (database `postgres`). */
  url: string;
  urlFor(database: string): string;
  start(): void;
  /** Fast shutdown (-m fast) or immediate (-m immediate, like a crash). */
  stop(mode?: "fast" | "immediate"): void;
  destroy(): void;
}

export function pgAvailable(): boolean {
  return existsSync(path.join(BIN, "initdb")) && process.getuid?.() === 0;
}

function asPostgres(args: string[]): string {
  // initdb and postgres refuse to run as root.
  return execFileSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function createPgCluster(port: number): PgCluster {
  const dir = mkdtempSync(path.join(os.tmpdir(), `argus-pg-${port}-`));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  asPostgres([path.join(BIN, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=64MB`;
  const cluster: PgCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlFor: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    start: () => void asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]),
    stop: (mode = "fast") => void asPostgres([path.join(BIN, "pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "30", "stop"]),
    destroy() {
      try {
        cluster.stop("immediate");
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
