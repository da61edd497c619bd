// The HTTP side of the error model (lib/errors.ts): one table from error code to status, and the
// mapping of any thrown value to an AppError and a JSON response.
import { z } from "zod";
import { AppError, databaseTrouble, describeZodError, type ErrorCode } from "../errors";
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
} as const satisfies Record<ErrorCode, number>;

export function httpStatus(error: AppError): number {
  return ERROR_STATUS[error.code];
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "P2002" || e?.code === "23505" || /UNIQUE constraint failed/.test(e?.message ?? "");
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
  return Response.json(errorBody(appError), { status: httpStatus(appError), headers: appError.headers });
}
