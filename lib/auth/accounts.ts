// Dashboard accounts: the first admin (setup page or ARGUS_ADMIN_EMAIL/PASSWORD, once, atomically),
// password sign-in with throttling (login-throttle.ts), password changes.
import { z } from "zod";
import { recordAudit } from "../audit/audit-store";
import type { Db } from "../db";
import type { Env } from "../env";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";
import { AppError } from "../errors";
import { log } from "../log";
import { ensureProject } from "./api-keys";
import { clearThrottle, LOGIN_THROTTLE, purgeExpiredThrottles, registerAttempt } from "./login-throttle";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";

export const ZEmail = z.email("must be an email address").max(320).transform((v) => v.toLowerCase());
export const ZNewPassword = z.string().min(8, "must be at least 8 characters").max(1000);

export const ZCredentials = z.object({
  email: ZEmail,
  password: z.string().min(1, "is required").max(1000),
});
export const ZSetupInput = z.object({
  email: ZEmail,
  password: ZNewPassword,
  name: z.string().trim().max(100).optional(),
});

/** Present once the first admin exists: setup never runs twice, even after that admin is deleted (use the CLI then). */
export const SETUP_SETTING = "setup_completed";

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "P2002" || e?.code === "23505" || /UNIQUE constraint failed|Unique constraint/i.test(e?.message ?? "");
}

/**
 * Creates the first admin, with ownership of the oldest project ("default" is created if none). The
 * setup row is inserted first in the same transaction: of concurrent calls, one inserts it and the
 * others fail on its primary key, so exactly one admin is ever created this way.
 */
export async function createFirstAdmin(db: Db, input: { email: string; password: string; name?: string }, via: "setup" | "env") {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      await tx.instanceSetting.create({ data: { key: SETUP_SETTING, value: via } });
      if ((await tx.user.count()) > 0) throw new AppError("conflict", "Setup is already done; sign in instead");
      const project = (await tx.project.findFirst({ orderBy: { createdAt: "asc" } })) ?? (await ensureProject(tx as unknown as Db, "default"));
      const user = await tx.user.create({ data: { email: input.email, name: input.name || null, passwordHash, isAdmin: true } });
      await tx.membership.create({ data: { userId: user.id, projectId: project.id, role: "owner" } });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "Setup is already done; sign in instead");
    throw error;
  }
}

/** With no user yet and ARGUS_ADMIN_EMAIL/PASSWORD set, creates that admin. Safe to call on every request. */
export async function ensureEnvAdmin(db: Db, env: Pick<Env, "ARGUS_ADMIN_EMAIL" | "ARGUS_ADMIN_PASSWORD">): Promise<void> {
  if (!env.ARGUS_ADMIN_EMAIL || !env.ARGUS_ADMIN_PASSWORD) return;
  if ((await db.user.count()) > 0 || (await db.instanceSetting.findUnique({ where: { key: SETUP_SETTING } }))) return;
  try {
    await createFirstAdmin(db, { email: env.ARGUS_ADMIN_EMAIL.toLowerCase(), password: env.ARGUS_ADMIN_PASSWORD }, "env");
    log.info("created the admin account from ARGUS_ADMIN_EMAIL", { email: env.ARGUS_ADMIN_EMAIL });
  } catch (error) {
    // Another process created it at the same moment.
    if (!(error instanceof AppError && error.code === "conflict")) throw error;
  }
}

/** GET /api/auth/setup: whether the first admin is still to be created, and how users sign in (the sign-in page's buttons). */
export async function signInOptions(db: Db, env: Pick<Env, "ARGUS_PASSWORD_LOGIN" | "ARGUS_ADMIN_EMAIL" | "ARGUS_ADMIN_PASSWORD" | "ARGUS_OIDC_ISSUER" | "ARGUS_OIDC_NAME">) {
  if (env.ARGUS_PASSWORD_LOGIN) await ensureEnvAdmin(db, env);
  return {
    needsSetup: env.ARGUS_PASSWORD_LOGIN && (await needsSetup(db)),
    passwordLogin: env.ARGUS_PASSWORD_LOGIN,
    sso: env.ARGUS_OIDC_ISSUER ? { name: env.ARGUS_OIDC_NAME } : null,
  };
}

export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0 && !(await db.instanceSetting.findUnique({ where: { key: SETUP_SETTING } }));
}

/** First-run setup: only while no user exists and setup never ran. */
export async function setupFirstAdmin(db: Db, input: z.infer<typeof ZSetupInput>) {
  if (!(await needsSetup(db))) throw new AppError("conflict", "Setup is already done; sign in instead");
  return createFirstAdmin(db, input, "setup");
}

const PURGE_EVERY_MS = 60_000;
let lastPurgeMs = 0;

function throttled(retryAfterMs: number, what = "sign-in attempts from this address"): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError("rate_limited", `Too many ${what}; try again in ${seconds} s`, { "Retry-After": String(seconds) });
}

/** A wrong email or password is recorded in the audit trail (auth.sign_in_failed); throttled attempts are not (they write nothing). */
export async function signIn(db: Db, input: z.infer<typeof ZCredentials>, address: string, nowMs: number, userAgent: string | null = null) {
  if (nowMs - lastPurgeMs > PURGE_EVERY_MS) {
    lastPurgeMs = nowMs;
    await purgeExpiredThrottles(db, nowMs).catch(() => 0);
  }
  const addressKey = `address:${address}`;
  const pairKey = `pair:${address}:${input.email}`;
  // The address first: an address that is waiting writes no counter for the accounts it names.
  const byAddress = await registerAttempt(db, addressKey, LOGIN_THROTTLE.address, nowMs);
  if (!byAddress.allowed) throw throttled(byAddress.retryAfterMs);
  const byPair = await registerAttempt(db, pairKey, LOGIN_THROTTLE.pair, nowMs);
  if (!byPair.allowed) throw throttled(byPair.retryAfterMs);
  const user = await db.user.findUnique({ where: { email: input.email } });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) {
    await recordAudit(db, { actor: { type: "anonymous", id: null, name: input.email }, ip: address, userAgent }, {
      action: "auth.sign_in_failed", target: user ? { type: "user", id: user.id } : null, details: { method: "password", reason: user ? "wrong_password" : "unknown_email" },
    });
    throw new AppError("unauthorized", "Wrong email or password");
  }
  await clearThrottle(db, pairKey);
  // The attempt was counted as a failure up front; a success takes it back from the address's count.
  await db.loginThrottle.updateMany({ where: { key: addressKey, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
  return user;
}

export const ZPasswordChange = z.object({ currentPassword: z.string().max(1000).optional(), newPassword: ZNewPassword });

export const NO_PASSWORD_MESSAGE =
  "This account signs in with single sign-on and has no password to change. To add one, ask an instance administrator (argus users reset-password).";

/**
 * Changes the user's password and signs out their other sessions. The current password is always
 * required: an account without one (single sign-on only) cannot give itself one here, or a password set
 * from a borrowed session would keep working after the provider disables the account; an instance admin
 * sets it with `argus users reset-password`. Attempts are throttled like sign-in: per client address
 * (the counter sign-in uses) and per account, since only a holder of the account's session can count
 * against it and that holder may change addresses.
 */
export async function changePassword(
  db: Db, userId: string, keepSessionId: string, input: z.infer<typeof ZPasswordChange>, address: string, nowMs: number,
): Promise<{ signedOut: number }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.passwordHash) throw new AppError("bad_request", NO_PASSWORD_MESSAGE);
  if (!input.currentPassword) throw new AppError("bad_request", "currentPassword is required");
  const addressKey = `address:${address}`;
  const accountKey = `password:${userId}`;
  const byAddress = await registerAttempt(db, addressKey, LOGIN_THROTTLE.address, nowMs);
  if (!byAddress.allowed) throw throttled(byAddress.retryAfterMs, "password attempts from this address");
  const byAccount = await registerAttempt(db, accountKey, LOGIN_THROTTLE.pair, nowMs);
  if (!byAccount.allowed) throw throttled(byAccount.retryAfterMs, "password attempts for this account");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) throw new AppError("forbidden", "The current password is wrong");
  await clearThrottle(db, accountKey);
  await db.loginThrottle.updateMany({ where: { key: addressKey, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.newPassword) } });
  const { count } = await db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } });
  return { signedOut: count };
}

/** Set by the production web server (lib/http/client-address.ts); `next dev` has no such server. */
export function clientIp(req: Request): string {
  return req.headers.get(CLIENT_ADDRESS_HEADER) || "local";
}
