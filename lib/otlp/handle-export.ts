// The OTLP/HTTP endpoints: limit → authenticate → content type → body → decode/validate → write → respond.
// Route files call these; they cannot use route()'s JSON parsing, so errors are mapped here (respond.ts).
import { authenticateApiKey, presentedApiKey } from "../auth/api-keys";
import { getDb, getRaw, type Db, type RawDb } from "../db";
import { getEnv } from "../env";
import { AppError } from "../http/errors";
import { ingestSpans } from "../ingest/ingest-spans";
import { processPressure, type EventLoopPressure } from "../ingest/event-loop-pressure";
import { processLimiter, type InflightLimiter } from "../ingest/inflight-limiter";
import { log } from "../log";
import { withSpan } from "../telemetry";
import { getPriceTable } from "../pricing/load-prices";
import type { PriceTable } from "../pricing/lookup";
import { encodingOf, requireEncoding } from "./content-type";
import { decodeTraceRequest, partialSuccessMessage } from "./decode";
import { ingestLimitsFromEnv, type IngestLimits } from "./limits";
import { readBody } from "./read-body";
import { emptyResponse, exportResponse, otlpErrorResponse } from "./respond";

export interface ExportDeps {
  db: Db;
  raw: RawDb;
  prices: PriceTable;
  maxBodyBytes: number;
  limiter: InflightLimiter;
  /** Absent in tests that call the handler directly. */
  pressure?: EventLoopPressure;
  now: () => number;
  limits?: IngestLimits;
}

export function defaultExportDeps(): ExportDeps {
  const env = getEnv();
  return {
    db: getDb(),
    raw: getRaw(),
    prices: getPriceTable(),
    maxBodyBytes: env.ARGUS_MAX_BODY_BYTES,
    limiter: processLimiter(env.ARGUS_MAX_INFLIGHT_INGEST),
    pressure: processPressure(env.ARGUS_MAX_EVENT_LOOP_LAG_MS),
    now: Date.now,
    limits: ingestLimitsFromEnv(env),
  };
}

async function withLimits(req: Request, deps: ExportDeps, work: (projectId: string) => Promise<Response>): Promise<Response> {
  const encoding = encodingOf(req.headers.get("content-type"));
  if (deps.pressure?.overloaded()) {
    deps.pressure.logShedding();
    return otlpErrorResponse(new AppError("unavailable", "The server is overloaded; retry after a short delay", { "Retry-After": "2" }), encoding);
  }
  const release = deps.limiter.tryAcquire();
  if (!release) {
    return otlpErrorResponse(new AppError("rate_limited", "Ingestion is at capacity; retry after a short delay", { "Retry-After": "1" }), encoding);
  }
  try {
    const principal = await authenticateApiKey(deps.db, presentedApiKey(req.headers));
    return await work(principal.projectId);
  } catch (error) {
    return otlpErrorResponse(error, encoding);
  } finally {
    release();
  }
}

export function handleTraceExport(req: Request, deps: ExportDeps = defaultExportDeps()): Promise<Response> {
  const receivedMs = deps.now();
  return withLimits(req, deps, (projectId) => withSpan("otlp export traces", async () => {
    const encoding = requireEncoding(req.headers.get("content-type"));
    const body = await readBody(req, deps.maxBodyBytes);
    const decoded = decodeTraceRequest(body, encoding, deps.limits);
    const result = await ingestSpans(decoded.spans, { raw: deps.raw, projectId, prices: deps.prices, receivedMs });
    if (decoded.rejected > 0) log.warn("otlp spans rejected", { projectId, rejected: decoded.rejected, problem: decoded.problems[0] });
    if (decoded.truncated) log.info("otlp data truncated", { projectId, truncated: decoded.truncated });
    log.debug("otlp spans ingested", { projectId, ...result });
    return exportResponse(encoding, decoded.rejected, partialSuccessMessage(decoded));
  }, { "argus.project_id": projectId }));
}

/** Logs and metrics: authenticated, size-limited, answered with an empty success, not stored. */
export function handleDiscardExport(req: Request, deps: ExportDeps = defaultExportDeps()): Promise<Response> {
  return withLimits(req, deps, async () => {
    const encoding = requireEncoding(req.headers.get("content-type"));
    await readBody(req, deps.maxBodyBytes);
    return emptyResponse(encoding);
  });
}
