// The production web process (`npm start`, e2e, tests): Next plus the OTLP fast path on one port.
//   tsx scripts/web.ts [-p PORT] [-H HOST]   (PORT from the environment otherwise)
import path from "node:path";
import { prepareInstanceKey } from "@/lib/crypto/instance-key";
import { getDb } from "@/lib/db";
import { ConfigError, getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { startWebServer } from "@/lib/server/web-server";

const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i === -1 ? undefined : process.argv[i + 1];
};

try {
  // Refuse to serve with another process's encryption key rather than fail at the first channel read.
  await prepareInstanceKey(getDb(), getEnv());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(78);
}

const port = Number(arg("-p") ?? getEnv().PORT);
const hostname = arg("-H");
const server = await startWebServer({ dir: path.resolve(import.meta.dirname, ".."), port, hostname });
log.info("web server listening", { port, hostname: hostname ?? "all interfaces" });

const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
