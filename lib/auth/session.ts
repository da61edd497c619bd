// Cookie sessions for dashboard users. The cookie holds a random token; the DB holds sha256(token).
import { createHash, randomBytes } from "node:crypto";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import { getDb, type Db } from "../db";
import { AppError } from "../errors";
import { CSRF_COOKIE, PROJECT_COOKIE, SESSION_COOKIE, isSecureRequest, parseCookies, serializeCookie } from "./cookies";
import { CSRF_HEADER, csrfViolation } from "./csrf";
import { roleOf, type Role } from "./permissions";
import type { UserPrincipal } from "./types";

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
const TOUCH_INTERVAL_MS = 10 * 60_000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** How and from where a session was opened, shown in the user's list of sessions. */
export interface SessionOrigin {
  method?: "password" | "sso" | "setup" | "invite";
  userAgent?: string | null;
  address?: string | null;
}

/** Opening a session is signing in: the session and its auth.sign_in audit entry commit together. */
export async function createSession(db: Db, userId: string, now: Date, origin: SessionOrigin = {}): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const method = origin.method ?? "password";
  await auditedTransaction(db, async (tx) => {
    const session = await tx.session.create({
      data: {
        tokenHash: sha256(token), userId, csrfToken, expiresAt, createdAt: now, lastSeenAt: now,
        method, userAgent: origin.userAgent?.slice(0, 300) ?? null, address: origin.address?.slice(0, 100) ?? null,
      },
      select: { id: true, user: { select: { email: true } } },
    });
    await appendAudit(tx, { actor: { type: "user", id: userId, name: session.user.email }, ip: origin.address, userAgent: origin.userAgent }, {
      action: "auth.sign_in", target: { type: "session", id: session.id }, details: { method },
    });
  });
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

/** A JSON answer that also sets the new session's cookies. */
export function withSessionCookies(req: Request, session: NewSession, body: unknown, status = 200): Response {
  const headers = new Headers({ "content-type": "application/json" });
  for (const cookie of sessionSetCookies(req, session)) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify(body), { status, headers });
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

/** Projects a user may open with their role: all of them as owner for admins, their memberships otherwise (oldest first). */
export async function listUserProjects(db: Db, user: { id: string; isAdmin: boolean }) {
  const projects = await db.project.findMany({
    where: user.isAdmin ? {} : { memberships: { some: { userId: user.id } } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, retentionDays: true, settings: true, memberships: { where: { userId: user.id }, select: { role: true } } },
  });
  return projects.map(({ memberships, ...p }) => ({ ...p, role: (user.isAdmin ? "owner" : roleOf(memberships[0]?.role)) as Role }));
}

/** GET /api/auth/session: who is signed in, the active project with their role, and the projects they may switch to. */
export async function describeSession(req: Request, db: Db, auth: UserPrincipal) {
  const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { id: true, email: true, name: true, isAdmin: true, passwordHash: true } });
  const projects = await listUserProjects(db, user);
  // A user with no project yet (removed from the last one) still has an account page.
  const active = projects.length ? await requestedProject(req, db, auth) : null;
  return {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, hasPassword: user.passwordHash !== null },
    projectId: active?.projectId ?? null,
    role: active?.role ?? null,
    projects: projects.map((p) => ({ id: p.id, name: p.name, role: p.role })),
  };
}

/** GET /api/auth/sessions: the user's live sessions (where and how each was opened), the current one marked. */
export async function listUserSessions(db: Db, userId: string, currentSessionId: string, now: Date) {
  const rows = await db.session.findMany({
    where: { userId, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, method: true, userAgent: true, address: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
  return { sessions: rows.map((s) => ({ ...s, current: s.id === currentSessionId })) };
}

/** Picks the active project: the requested one (id or name) if the user may open it, else their first. */
export async function resolveProject(db: Db, user: { id: string; isAdmin: boolean }, requested: string | undefined, strict: boolean): Promise<{ projectId: string; role: Role }> {
  const projects = await listUserProjects(db, user);
  if (requested) {
    const match = projects.find((p) => p.id === requested || p.name === requested);
    if (match) return { projectId: match.id, role: match.role };
    if (strict) throw new AppError("forbidden", `You are not a member of project '${requested}'`);
  }
  const first = projects[0];
  if (!first) throw new AppError("forbidden", "You are not a member of any project; ask a project owner for an invitation");
  return { projectId: first.id, role: first.role };
}

export async function resolveProjectId(db: Db, user: { id: string; isAdmin: boolean }, requested: string | undefined, strict: boolean): Promise<string> {
  return (await resolveProject(db, user, requested, strict)).projectId;
}

export function sessionToken(req: Request): string | undefined {
  return parseCookies(req.headers.get("cookie"))[SESSION_COOKIE];
}

/** The signed-in user of a request; a mutation must carry the session's CSRF token and a same-site Origin. */
export async function authenticateUser(req: Request, db: Db = getDb(), now = new Date()): Promise<UserPrincipal | null> {
  const session = await readSession(db, sessionToken(req), now);
  if (!session) return null;
  const violation = csrfViolation({
    method: req.method,
    headerToken: req.headers.get(CSRF_HEADER),
    sessionToken: session.csrfToken,
    origin: req.headers.get("origin"),
    host: req.headers.get("x-forwarded-host") ?? req.headers.get("host"),
  });
  if (violation) throw new AppError("forbidden", violation);
  return { kind: "user", userId: session.user.id, isAdmin: session.user.isAdmin, sessionId: session.id };
}

export async function requestedProject(req: Request, db: Db, user: UserPrincipal): Promise<{ projectId: string; role: Role }> {
  const queryProject = new URL(req.url).searchParams.get("project") ?? undefined;
  const cookieProject = parseCookies(req.headers.get("cookie"))[PROJECT_COOKIE];
  return resolveProject(db, { id: user.userId, isAdmin: user.isAdmin }, queryProject ?? cookieProject, queryProject !== undefined);
}

/** The user and their project in one call (tests, and code outside route handlers). */
export async function authenticateSession(req: Request, db: Db = getDb(), now = new Date()) {
  const user = await authenticateUser(req, db, now);
  if (!user) return null;
  const { projectId, role } = await requestedProject(req, db, user);
  return { kind: "session" as const, userId: user.userId, projectId, isAdmin: user.isAdmin, role, sessionId: user.sessionId };
}
