// One error model: AppError(code, message) and one table from code to HTTP status.
import { z } from "zod";
import { log } from "../log";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
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

function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return (
    ["ECONNREFUSED", "ECONNRESET", "57P01", "57P03", "SQLITE_BUSY", "SQLITE_FULL", "SQLITE_IOERR", "P1001"].includes(e?.code ?? "") ||
    /database is locked|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e?.message ?? "")
  );
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return new AppError("bad_request", describeZodError(error));
  if (isUniqueViolation(error)) return new AppError("conflict", "A resource with the same unique value already exists");
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { error: String((error as Error).message ?? error) });
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
