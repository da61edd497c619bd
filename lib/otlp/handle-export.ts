// The OTLP/HTTP endpoints: limit → authenticate → content type → body → decode/validate → write → respond.
// One implementation over a transport-neutral exchange (headers + size-limited raw body in, OtlpReply out);
// the Next route files (web Request/Response) and the node:http fast path (node-exchange.ts) adapt to it.
import { rawApiKeyFinder } from "../auth/api-key-finder-raw";
import { authenticateApiKey, presentedApiKey, type ApiKeyFinder } from "../auth/api-keys";
import { getDb, getRaw, type Db } from "../db";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { ingestSpans, type SpanWriter } from "../ingest/ingest-spans";
import { processPressure, type EventLoopPressure } from "../ingest/event-loop-pressure";
import { processSpanWriter } from "../ingest/process-span-writer";
import { keyLimiter, processLimiter, type InflightLimiter, type KeyedInflightLimiter } from "../ingest/inflight-limiter";
import { log } from "../log";
import { withSpan } from "../telemetry";
import { getPriceTable } from "../pricing/load-prices";
import type { PriceTable } from "../pricing/lookup";
import { DEFAULT_BODY_PACE, type BodyPace } from "./body-pace";
import { encodingOf, requireEncoding } from "./content-type";
import { decodeTraceRequest, partialSuccessMessage } from "./decode";
import { ingestLimitsFromEnv, type IngestLimits } from "./limits";
import { decompress, readLimited } from "./read-body";
import { emptyReply, exportReply, otlpErrorReply, toResponse, type OtlpReply } from "./respond";
import type { OtlpEncoding } from "./types";

export interface ExportDeps {
  db: Db;
  /** Where the spans go: the process's writer (built by the entry point; see process-span-writer.ts). */
  writer: SpanWriter;
  prices: PriceTable;
  maxBodyBytes: number;
  limiter: InflightLimiter;
  /** In-flight requests per API key; absent in tests that call the handler directly. */
  keyLimiter?: KeyedInflightLimiter;
  /** Body-read deadline and minimum rate. */
  pace?: BodyPace;
  /** Absent in tests that call the handler directly. */
  pressure?: EventLoopPressure;
  now: () => number;
  limits?: IngestLimits;
  /** API key lookup; Prisma when absent. */
  findKey?: ApiKeyFinder;
}

/** What the handler needs from a transport. */
export interface OtlpExchange {
  /** A request header by lower-case name, or null. */
  header(name: string): string | null;
  /**
   * The body as sent (still compressed), at most maxBytes; throws AppError payload_too_large beyond, and
   * request_timeout when it arrives slower than `pace` allows.
   */
  rawBody(maxBytes: number, pace: BodyPace): Promise<Buffer>;
}

/**
 * The export dependencies from the environment and the process's database. The web server passes the
 * writer it built; route handlers (no argument) use the process's (process-span-writer.ts).
 */
export function defaultExportDeps(writer?: SpanWriter): ExportDeps {
  const env = getEnv();
  const raw = getRaw();
  return {
    db: getDb(),
    writer: writer ?? processSpanWriter(raw),
    findKey: rawApiKeyFinder(raw),
    prices: getPriceTable(),
    maxBodyBytes: env.ARGUS_MAX_BODY_BYTES,
    limiter: processLimiter(env.ARGUS_MAX_INFLIGHT_INGEST),
    keyLimiter: keyLimiter(env.ARGUS_MAX_INFLIGHT_INGEST_PER_KEY),
    pace: { ...DEFAULT_BODY_PACE, timeoutMs: env.ARGUS_BODY_TIMEOUT_MS, minBytesPerSec: env.ARGUS_BODY_MIN_BYTES_PER_SEC },
    pressure: processPressure(env.ARGUS_MAX_EVENT_LOOP_LAG_MS),
    now: Date.now,
    limits: ingestLimitsFromEnv(env),
  };
}

async function withLimits(ex: OtlpExchange, deps: ExportDeps, work: (projectId: string) => Promise<OtlpReply>): Promise<OtlpReply> {
  const encoding = encodingOf(ex.header("content-type"));
  if (deps.pressure?.overloaded()) {
    deps.pressure.logShedding();
    return otlpErrorReply(new AppError("unavailable", "The server is overloaded; retry after a short delay", { "Retry-After": "2" }), encoding);
  }
  let releaseKey: (() => void) | null = null;
  let release: (() => void) | null = null;
  try {
    // The key first (headers only): its slots are counted before the body is read.
    const principal = await authenticateApiKey(deps.db, presentedApiKey({ get: (name) => ex.header(name) }), deps.findKey);
    if (!principal.scopes.includes("ingest")) throw new AppError("forbidden", "This API key lacks the 'ingest' scope; send traces with an ingest key");
    releaseKey = deps.keyLimiter ? deps.keyLimiter.tryAcquire(principal.keyId) : () => {};
    if (!releaseKey) {
      throw new AppError("rate_limited", `This API key has ${deps.keyLimiter!.max} requests in flight; retry after a short delay`, { "Retry-After": "1" });
    }
    release = deps.limiter.tryAcquire();
    if (!release) throw new AppError("rate_limited", "Ingestion is at capacity; retry after a short delay", { "Retry-After": "1" });
    return await work(principal.projectId);
  } catch (error) {
    return otlpErrorReply(error, encoding);
  } finally {
    release?.();
    releaseKey?.();
  }
}

async function readBody(ex: OtlpExchange, deps: ExportDeps): Promise<Buffer> {
  return decompress(await ex.rawBody(deps.maxBodyBytes, deps.pace ?? DEFAULT_BODY_PACE), ex.header("content-encoding"), deps.maxBodyBytes);
}

/**
 * Decodes and starts the write. Kept apart so that the body and the decoded spans (several times the
 * rows' size) are garbage while the request waits for its commit: under load, data that outlives a
 * young-generation GC is copied and promoted, which is what made many in-flight requests expensive.
 */
function decodeAndWrite(body: Buffer, encoding: OtlpEncoding, projectId: string, deps: ExportDeps, receivedMs: number) {
  const decoded = decodeTraceRequest(body, encoding, deps.limits);
  return {
    written: ingestSpans(decoded.spans, { writer: deps.writer, projectId, prices: deps.prices, receivedMs }),
    rejected: decoded.rejected,
    truncated: decoded.truncated,
    problem: decoded.problems[0],
    message: partialSuccessMessage(decoded),
  };
}

export function exportTraces(ex: OtlpExchange, deps: ExportDeps = defaultExportDeps()): Promise<OtlpReply> {
  const receivedMs = deps.now();
  return withLimits(ex, deps, (projectId) => withSpan("otlp export traces", async () => {
    const encoding = requireEncoding(ex.header("content-type"));
    const { written, rejected, truncated, problem, message } = decodeAndWrite(await readBody(ex, deps), encoding, projectId, deps, receivedMs);
    const result = await written;
    if (rejected > 0) log.warn("otlp spans rejected", { projectId, rejected, problem });
    if (truncated) log.info("otlp data truncated", { projectId, truncated });
    log.debug("otlp spans ingested", { projectId, ...result });
    return exportReply(encoding, rejected, message);
  }, { "argus.project_id": projectId }));
}

/** Logs and metrics: authenticated, size-limited, answered with an empty success, not stored. */
export function discardExport(ex: OtlpExchange, deps: ExportDeps = defaultExportDeps()): Promise<OtlpReply> {
  return withLimits(ex, deps, async () => {
    const encoding = requireEncoding(ex.header("content-type"));
    await readBody(ex, deps);
    return emptyReply(encoding);
  });
}

/** A web Request as an exchange (Next route handlers, tests). */
export function webExchange(req: Request): OtlpExchange {
  return { header: (name) => req.headers.get(name), rawBody: (maxBytes, pace) => readLimited(req, maxBytes, pace) };
}

export async function handleTraceExport(req: Request, deps: ExportDeps = defaultExportDeps()): Promise<Response> {
  return toResponse(await exportTraces(webExchange(req), deps));
}

export async function handleDiscardExport(req: Request, deps: ExportDeps = defaultExportDeps()): Promise<Response> {
  return toResponse(await discardExport(webExchange(req), deps));
}
