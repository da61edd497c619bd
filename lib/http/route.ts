// One route wrapper: authenticates, checks what the caller may do, parses query and body with zod,
// maps every error the same way. Every route declares what it needs (`auth`):
//   "none"                       public (health, sign-in)
//   "session" / "instanceAdmin"  a signed-in user (account pages) / an instance administrator
//   "ingest" | "read" | "triage" | "manage"
//                                an action on the caller's project: API keys need the matching scope,
//                                users the matching role (lib/auth/permissions.ts).
import type { z } from "zod";
import { authenticateApiKey, presentedApiKey, type ApiKeyPrincipal } from "../auth/api-keys";
import { refusal, type ProjectAccess } from "../auth/permissions";
import { authenticateUser, requestedProject } from "../auth/session";
import type { SessionPrincipal, UserPrincipal } from "../auth/types";
import { getDb } from "../db";
import { AppError, describeZodError } from "../errors";
import { toErrorResponse } from "./errors";

export type Principal = ApiKeyPrincipal | SessionPrincipal;
export type AuthMode = "none" | "session" | "instanceAdmin" | ProjectAccess;

/** The signed-in user, if any, for routes that answer everyone but say more to some (health). */
export async function optionalUser(req: Request): Promise<UserPrincipal | null> {
  return authenticateUser(req).catch(() => null);
}

/** The signed-in user, if any, for public routes that act differently for one (accepting an invitation); a CSRF violation still throws. */
export async function currentUser(req: Request): Promise<UserPrincipal | null> {
  return authenticateUser(req);
}

async function signedInUser(req: Request, mode: "session" | "instanceAdmin"): Promise<UserPrincipal> {
  if (presentedApiKey(req.headers)) throw new AppError("forbidden", "This endpoint needs a signed-in user; API keys cannot use it");
  const user = await authenticateUser(req);
  if (!user) throw new AppError("unauthorized", "Sign in first");
  if (mode === "instanceAdmin" && !user.isAdmin) throw new AppError("forbidden", "Only instance admins can do this");
  return user;
}

async function projectPrincipal(req: Request, access: ProjectAccess): Promise<Principal> {
  const key = presentedApiKey(req.headers);
  if (key || access === "ingest") {
    const principal = await authenticateApiKey(getDb(), key);
    const refused = refusal({ kind: "apiKey", scopes: principal.scopes }, access);
    if (refused) throw new AppError("forbidden", refused);
    return principal;
  }
  const user = await authenticateUser(req);
  if (!user) throw new AppError("unauthorized", "Sign in, or send 'Authorization: Bearer <key>'");
  const { projectId, role } = await requestedProject(req, getDb(), user);
  const refused = refusal({ kind: "session", role }, access);
  if (refused) throw new AppError("forbidden", refused);
  return { kind: "session", userId: user.userId, projectId, isAdmin: user.isAdmin, role, sessionId: user.sessionId };
}

async function authenticate(req: Request, mode: AuthMode): Promise<Principal | UserPrincipal | null> {
  if (mode === "none") return null;
  if (mode === "session" || mode === "instanceAdmin") return signedInUser(req, mode);
  return projectPrincipal(req, mode);
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

export type AuthOf<M extends AuthMode> = M extends "none" ? null : M extends "session" | "instanceAdmin" ? UserPrincipal : Principal;

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
  return new Response(toJson(value), { ...init, headers: { "content-type": "application/json", ...init?.headers } });
}

/**
 * JSON.stringify with bigints as strings. A replacer function costs a call per value (it doubled the time of a
 * 5,000-span page of /api/v1/spans), so it is only used when the value holds a bigint: JSON.stringify then throws.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}
