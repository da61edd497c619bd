// Child process for crash tests: serves the OTLP handler over HTTP for DATABASE_URL and prints its URL.
import { closeDb } from "@/lib/db";
import { serveHandler } from "./serve-handler";
import { handleTraceExport } from "@/lib/otlp/handle-export";

const server = await serveHandler((req) => handleTraceExport(req));
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(closeDb).then(() => process.exit(0)));
