// One error model: AppError(code, message) and one table from code to HTTP status.
import { z } from "zod";
import { log } from "../log";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function describeZodError(error: z.ZodError, where = "request"): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : where}: ${issue.message}`)
    .join("; ");
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "P2002" || e?.code === "23505" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

// PostgreSQL: admin/crash shutdown, cannot connect now, connection exceptions (08xxx), too many connections.
const UNAVAILABLE_CODES = ["ECONNREFUSED", "ECONNRESET", "EPIPE", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006", "P1001"];

/** A database that cannot take the operation now (down, locked, disk full): the client should retry later. */
export function databaseTrouble(error: unknown, depth = 0): "disk_full" | "unavailable" | null {
  const e = error as { code?: string; message?: string; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;
  const message = e?.message ?? "";
  // Prisma wraps driver errors (P2010 etc.): the database's own code is in the message or the adapter error.
  const code = /Code: `(\w+)`/.exec(message)?.[1] ?? e?.code ?? "";
  if (code === "SQLITE_FULL" || code === "53100" || /database or disk is full|No space left on device/i.test(message)) return "disk_full";
  if (UNAVAILABLE_CODES.includes(code) || /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN)/.test(code)) return "unavailable";
  if (/database is locked|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|the database system is (shutting down|starting up|not yet accepting connections)|Can't reach database server/i.test(message)) return "unavailable";
  if (depth >= 3) return null;
  for (const inner of [e?.meta?.driverAdapterError, e?.cause]) {
    const trouble = inner && inner !== error ? databaseTrouble(inner, depth + 1) : null;
    if (trouble) return trouble;
  }
  return null;
}

/** One log line per kind and second under a storm of failing requests, with the number left out. */
const throttled = new Map<string, { at: number; suppressed: number }>();
function logThrottled(level: "warn" | "error", msg: string, error: unknown): void {
  const now = Date.now();
  const last = throttled.get(msg);
  if (last && now - last.at < 1_000) {
    last.suppressed += 1;
    return;
  }
  throttled.set(msg, { at: now, suppressed: 0 });
  log[level](msg, { error: String((error as Error)?.message ?? error), suppressedSinceLast: last?.suppressed ?? 0 });
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return new AppError("bad_request", describeZodError(error));
  if (isUniqueViolation(error)) return new AppError("conflict", "A resource with the same unique value already exists");
  const trouble = databaseTrouble(error);
  if (trouble === "disk_full") {
    logThrottled("error", "database disk full", error);
    return new AppError("unavailable", "The database's disk is full; retry after space is freed", { "Retry-After": "30" });
  }
  if (trouble === "unavailable") {
    logThrottled("warn", "database unavailable", error);
    return new AppError("unavailable", "The database is unavailable; retry shortly", { "Retry-After": "5" });
  }
  log.error("unhandled error", { error: (error as Error)?.stack ?? String(error) });
  return new AppError("internal", "Internal server error");
}

export function errorBody(error: AppError): { error: { code: ErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}

export function toErrorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(errorBody(appError), { status: appError.status, headers: appError.headers });
}
