// The OTLP endpoints straight on node:http, bypassing Next's request machinery (web streams, Request and
// Response objects) for the hot ingestion path. Same handler as the route files (handle-export.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { discardExport, exportTraces, type ExportDeps, type OtlpExchange } from "./handle-export";
import { AppError } from "../errors";
import { watchPace, type BodyPace } from "./body-pace";
import { tooLarge } from "./read-body";
import type { OtlpReply } from "./respond";

const TRACE_PATHS = new Set(["/v1/traces", "/api/public/otel/v1/traces"]);
const DISCARD_PATHS = new Set(["/v1/logs", "/v1/metrics", "/api/public/otel/v1/logs", "/api/public/otel/v1/metrics"]);

/** Reads the body with a running size check and the pace check; over either limit, stops reading and rejects. */
function readNodeBody(req: IncomingMessage, maxBytes: number, pace: BodyPace): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes, "Request body"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes, "Request body"));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A client that disconnects mid-body must not hold its in-flight slot forever.
    const onClose = () => onError(new AppError("bad_request", "The client closed the connection before sending the whole body"));
    const stopPace = watchPace(pace, () => total, (error) => {
      cleanup();
      req.pause();
      reject(error);
    });
    const cleanup = () => {
      stopPace();
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function nodeExchange(req: IncomingMessage): OtlpExchange {
  return {
    header: (name) => {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    rawBody: (maxBytes, pace) => readNodeBody(req, maxBytes, pace),
  };
}

function send(req: IncomingMessage, res: ServerResponse, reply: OtlpReply): void {
  // A body we stopped reading (413) or could not read must not be parsed as the next request.
  const unread = !req.complete;
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.body.byteLength), ...(unread ? { connection: "close" } : {}) });
  res.end(reply.body);
  if (unread) res.once("finish", () => req.destroy());
}

/**
 * Serves POST requests to the OTLP endpoints and returns true; returns false for anything else
 * (other paths and methods go to Next, which answers 405 for a GET on these routes). `fixedHeaders`
 * (the security headers Next adds to its own responses) go on every reply.
 */
export function serveOtlp(req: IncomingMessage, res: ServerResponse, deps: () => ExportDeps, fixedHeaders: { key: string; value: string }[] = []): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  const handler = TRACE_PATHS.has(pathname) ? exportTraces : DISCARD_PATHS.has(pathname) ? discardExport : null;
  if (!handler) return false;
  for (const { key, value } of fixedHeaders) res.setHeader(key, value);
  handler(nodeExchange(req), deps()).then(
    (reply) => send(req, res, reply),
    (error: unknown) => {
      // The handler maps every error to a reply; this is only a last guard against a crash.
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: { code: "internal", message: String((error as Error)?.message ?? error) } }));
    },
  );
  return true;
}
