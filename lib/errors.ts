// One error model: AppError(code, message), thrown anywhere in lib/ (decoders, stores, backups);
// lib/http/errors.ts maps the codes to HTTP statuses and responses.
import type { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "request_timeout"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal"
  | "unavailable";

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
}

export function describeZodError(error: z.ZodError, where = "request"): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : where}: ${issue.message}`)
    .join("; ");
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
