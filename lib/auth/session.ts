// Cookie sessions for dashboard users. The cookie holds a random token; the DB holds sha256(token).
// Registers itself with lib/http/route.ts so every `auth: "any"` route accepts a signed-in user.
import { createHash, randomBytes } from "node:crypto";
import { getDb, type Db } from "../db";
import { AppError } from "../http/errors";
import { registerSessionAuthenticator, type SessionPrincipal } from "../http/route";
import { CSRF_COOKIE, PROJECT_COOKIE, SESSION_COOKIE, isSecureRequest, parseCookies, serializeCookie } from "./cookies";
import { CSRF_HEADER, csrfViolation } from "./csrf";

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
const TOUCH_INTERVAL_MS = 10 * 60_000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: string, now: Date): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.session.create({ data: { tokenHash: sha256(token), userId, csrfToken, expiresAt, createdAt: now, lastSeenAt: now } });
  return { token, csrfToken, expiresAt };
}

export function sessionSetCookies(req: Request, session: NewSession): string[] {
  const secure = isSecureRequest(req);
  return [
    serializeCookie(SESSION_COOKIE, session.token, { httpOnly: true, secure, expires: session.expiresAt }),
    serializeCookie(CSRF_COOKIE, session.csrfToken, { secure, expires: session.expiresAt }),
  ];
}

export function clearSessionCookies(req: Request): string[] {
  const secure = isSecureRequest(req);
  return [SESSION_COOKIE, CSRF_COOKIE].map((name) => serializeCookie(name, "", { httpOnly: name === SESSION_COOKIE, secure, maxAgeSeconds: 0 }));
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  user: { id: string; email: string; name: string | null; isAdmin: boolean };
}

export async function readSession(db: Db, token: string | undefined, now: Date): Promise<ActiveSession | null> {
  if (!token) return null;
  const row = await db.session.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, csrfToken: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, isAdmin: true } } },
  });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    void db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } }).catch(() => {});
  }
  return { id: row.id, csrfToken: row.csrfToken, user: row.user };
}

export async function deleteSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.session.deleteMany({ where: { tokenHash: sha256(token) } });
}

/** Projects a user may open: all of them for admins, their memberships otherwise (oldest first). */
export async function listUserProjects(db: Db, user: { id: string; isAdmin: boolean }) {
  return db.project.findMany({
    where: user.isAdmin ? {} : { memberships: { some: { userId: user.id } } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, retentionDays: true, settings: true },
  });
}

/** Picks the active project: the requested one (id or name) if the user may open it, else their first. */
export async function resolveProjectId(db: Db, user: { id: string; isAdmin: boolean }, requested: string | undefined, strict: boolean): Promise<string> {
  const projects = await listUserProjects(db, user);
  if (requested) {
    const match = projects.find((p) => p.id === requested || p.name === requested);
    if (match) return match.id;
    if (strict) throw new AppError("forbidden", `You are not a member of project '${requested}'`);
  }
  const first = projects[0];
  if (!first) throw new AppError("forbidden", "You are not a member of any project; ask an admin to add you");
  return first.id;
}

export function sessionToken(req: Request): string | undefined {
  return parseCookies(req.headers.get("cookie"))[SESSION_COOKIE];
}

export async function authenticateSession(req: Request, db: Db = getDb(), now = new Date()): Promise<SessionPrincipal | null> {
  const cookies = parseCookies(req.headers.get("cookie"));
  const session = await readSession(db, cookies[SESSION_COOKIE], now);
  if (!session) return null;
  const violation = csrfViolation({
    method: req.method,
    headerToken: req.headers.get(CSRF_HEADER),
    sessionToken: session.csrfToken,
    origin: req.headers.get("origin"),
    host: req.headers.get("x-forwarded-host") ?? req.headers.get("host"),
  });
  if (violation) throw new AppError("forbidden", violation);
  const queryProject = new URL(req.url).searchParams.get("project") ?? undefined;
  const projectId = await resolveProjectId(db, session.user, queryProject ?? cookies[PROJECT_COOKIE], queryProject !== undefined);
  return { kind: "session", userId: session.user.id, projectId, isAdmin: session.user.isAdmin };
}

registerSessionAuthenticator((req) => authenticateSession(req));
