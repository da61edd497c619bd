// One route wrapper: authenticates, parses query and body with zod, maps every error the same way.
import type { z } from "zod";
import { authenticateApiKey, presentedApiKey, type ApiKeyPrincipal } from "../auth/api-keys";
import { getDb } from "../db";
import { AppError, describeZodError, toErrorResponse } from "./errors";

/** Who is calling. Session principals (dashboard users) are added by lib/auth/session.ts. */
export type Principal = ApiKeyPrincipal | SessionPrincipal;

export interface SessionPrincipal {
  kind: "session";
  userId: string;
  projectId: string;
  isAdmin: boolean;
}

export type AuthMode = "none" | "apiKey" | "any";

/** Hook for cookie sessions; set by lib/auth/session.ts so this module does not depend on it. */
// Kept on globalThis: Next bundles routes separately, and the hook registered once (instrumentation.ts) must reach all.
type SessionAuthenticator = (req: Request) => Promise<SessionPrincipal | null>;
const hooks = globalThis as unknown as { argusSessionAuthenticator?: SessionAuthenticator };
export function registerSessionAuthenticator(fn: SessionAuthenticator): void {
  hooks.argusSessionAuthenticator = fn;
}

async function authenticate(req: Request, mode: AuthMode): Promise<Principal | null> {
  if (mode === "none") return null;
  const sessionAuthenticator = hooks.argusSessionAuthenticator;
  const key = presentedApiKey(req.headers);
  if (key || mode === "apiKey" || !sessionAuthenticator) return authenticateApiKey(getDb(), key);
  const session = await sessionAuthenticator(req);
  if (!session) throw new AppError("unauthorized", "Sign in, or send 'Authorization: Bearer <key>'");
  return session;
}

interface RouteContext<P> {
  params: Promise<P>;
}

interface HandlerInput<Q, B, P, A> {
  req: Request;
  query: Q;
  body: B;
  params: P;
  auth: A;
}

type AuthOf<M extends AuthMode> = M extends "none" ? null : Principal;

export function route<M extends AuthMode, Q = undefined, B = undefined, P = Record<string, string>>(spec: {
  auth: M;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  handler: (input: HandlerInput<Q, B, P, AuthOf<M>>) => Promise<Response | unknown>;
}) {
  return async (req: Request, context?: RouteContext<P>): Promise<Response> => {
    try {
      const auth = (await authenticate(req, spec.auth)) as AuthOf<M>;
      const params = ((await context?.params) ?? {}) as P;
      const searchParams = new URL(req.url).searchParams;
      refuseNul(Object.values(params as Record<string, unknown>), "path");
      refuseNul([...searchParams.values()], "query");
      const query = spec.query ? parseWith(spec.query, Object.fromEntries(searchParams), "query") : (undefined as Q);
      const body = spec.body ? parseWith(spec.body, await readJson(req), "body") : (undefined as B);
      const result = await spec.handler({ req, query, body, params, auth });
      return result instanceof Response ? result : jsonResponse(result);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** PostgreSQL text refuses NUL characters; refuse them here with a clear 400 rather than a database error. */
function refuseNul(values: unknown[], where: string): void {
  if (values.some((v) => typeof v === "string" && v.includes("\0"))) throw new AppError("bad_request", `Invalid ${where}: NUL characters are not allowed`);
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", `Invalid ${where}: ${describeZodError(parsed.error, where)}`);
  return parsed.data;
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === "string" && value.includes("\0")) throw new AppError("bad_request", "Invalid body: NUL characters are not allowed");
      return value;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
}

/** JSON with bigint values written as strings. */
export function jsonResponse(value: unknown, init?: ResponseInit): Response {
  const body = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  return new Response(body, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
}
