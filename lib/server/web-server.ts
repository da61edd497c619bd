// The web process: one node:http server. OTLP ingestion (POST /v1/{traces,logs,metrics} and the
// /api/public/otel aliases) is answered directly (lib/otlp/node-exchange.ts); everything else goes to
// Next's request handler (pages, JSON API). `next dev` serves the same endpoints through app/v1 routes.
import http from "node:http";
import next from "next";
import type { SpanWriter } from "../ingest/ingest-spans";
import { provideProcessSpanWriter } from "../ingest/process-span-writer";
import { writeOnThread } from "../ingest/write-on-thread";
import { defaultExportDeps, type ExportDeps } from "../otlp/handle-export";
import { serveOtlp } from "../otlp/node-exchange";
import { log } from "../log";
import { securityHeaders } from "../http/security-headers.js";
import { setClientAddress } from "../http/client-address";
import { getEnv } from "../env";
import { getRaw } from "../db";

export interface WebServerOptions {
  dir: string;
  port: number;
  hostname?: string;
}

export async function startWebServer(options: WebServerOptions): Promise<http.Server> {
  const app = next({ dev: false, dir: options.dir, hostname: options.hostname ?? "localhost", port: options.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // This process's span writer, on a writer thread: SQLite writes on the second core while this thread
  // decodes the next requests. Built once (at startup below, or by the first export if the database
  // could not be opened then), handed to the OTLP fast path and provided to Next's route handlers.
  let writer: SpanWriter | undefined;
  const spanWriter = () => (writer ??= writeOnThread(getRaw()));
  provideProcessSpanWriter(spanWriter);
  let deps: ExportDeps | undefined;
  const exportDeps = () => (deps ??= defaultExportDeps(spanWriter()));
  const headers = securityHeaders();
  const { ARGUS_TRUSTED_PROXY_HOPS: trustedProxyHops } = getEnv();
  const server = http.createServer((req, res) => {
    if (serveOtlp(req, res, exportDeps, headers)) return;
    // Next answers a path it cannot decode (%ff) with a plain-text 500 without our headers.
    if (!decodablePath(req.url)) return sendError(res, headers, 400, "bad_request", "The URL path is not valid percent-encoded UTF-8");
    setClientAddress(req, trustedProxyHops);
    handle(req, res).catch((error: unknown) => {
      log.error("request failed", { path: (req.url ?? "").split("?")[0], error: String(error) });
      if (!res.headersSent) sendError(res, headers, 500, "internal", "Internal server error");
      else res.end();
    });
  });
  // Exporters keep connections alive between batches; outlive their idle timeouts.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  // Ready for the first export: booting the writer thread takes up to seconds on a busy machine, which
  // the first requests would otherwise wait for. (Not the rest of the export dependencies: the load
  // shedding gauge would count the lag of Next's own warm-up.) A failure here is reported by those
  // requests instead.
  try {
    spanWriter();
  } catch (error) {
    log.warn("ingestion not ready at startup", { error: String(error) });
  }
  return server;
}

function decodablePath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0]!;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** The app's JSON error body, with the security headers every response carries. */
function sendError(res: http.ServerResponse, headers: { key: string; value: string }[], status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  for (const { key, value } of headers) res.setHeader(key, value);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}
