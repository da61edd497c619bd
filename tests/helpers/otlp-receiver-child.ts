// Child process for crash tests: serves the OTLP endpoints for DATABASE_URL exactly as the production web
// server does (node:http fast path, SQLite writes on the writer thread), without Next; prints its URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDb, getRaw } from "@/lib/db";
import { writeOnThread } from "@/lib/ingest/write-on-thread";
import { defaultExportDeps } from "@/lib/otlp/handle-export";
import { serveOtlp } from "@/lib/otlp/node-exchange";

const deps = defaultExportDeps(writeOnThread(getRaw()));
const server = http.createServer((req, res) => {
  if (!serveOtlp(req, res, () => deps)) res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => void closeDb().then(() => process.exit(0)));
});
