// CSRF defence for cookie-authenticated mutations: a per-session token echoed in a header
// (the page reads it from the non-httpOnly argus_csrf cookie), plus an Origin check.
import { timingSafeEqual } from "node:crypto";

export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfInput {
  method: string;
  headerToken: string | null;
  sessionToken: string;
  origin: string | null;
  host: string | null;
}

/** Returns why the request is refused, or null when it may proceed. */
export function csrfViolation(input: CsrfInput): string | null {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return null;
  if (input.origin && input.host) {
    let originHost: string | null = null;
    try {
      originHost = new URL(input.origin).host;
    } catch {
      return "Origin header is not a URL";
    }
    if (originHost !== input.host) return `Cross-origin request from ${input.origin} refused`;
  }
  if (!input.headerToken) return `Missing ${CSRF_HEADER} header; reload the page and retry`;
  const a = Buffer.from(input.headerToken);
  const b = Buffer.from(input.sessionToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return `Invalid ${CSRF_HEADER} header; reload the page and retry`;
  return null;
}
