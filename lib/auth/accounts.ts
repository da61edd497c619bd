// Dashboard accounts: first-run admin (setup page or ARGUS_ADMIN_EMAIL/PASSWORD), sign-in with rate limiting.
import { z } from "zod";
import type { Db } from "../db";
import type { Env } from "../env";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";
import { AppError } from "../http/errors";
import { log } from "../log";
import { ensureProject } from "./api-keys";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { clearRateLimit, hitRateLimit, type RateLimitRule } from "./rate-limit";

export const ZCredentials = z.object({
  email: z.email("must be an email address").transform((v) => v.toLowerCase()),
  password: z.string().min(1, "is required").max(1000),
});
export const ZSetupInput = z.object({
  email: z.email("must be an email address").transform((v) => v.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(1000),
  name: z.string().trim().max(100).optional(),
});

export const LOGIN_RULES = {
  perIp: { limit: 20, windowMs: 15 * 60_000 } satisfies RateLimitRule,
  perEmail: { limit: 8, windowMs: 15 * 60_000 } satisfies RateLimitRule,
};

/** Creates an admin with membership in every existing project (the "default" project is created if none). */
export async function createAdmin(db: Db, input: { email: string; password: string; name?: string }) {
  const passwordHash = await hashPassword(input.password);
  const project = (await db.project.findFirst({ orderBy: { createdAt: "asc" } })) ?? (await ensureProject(db, "default"));
  const user = await db.user.create({ data: { email: input.email, name: input.name || null, passwordHash, isAdmin: true } });
  await db.membership.create({ data: { userId: user.id, projectId: project.id, role: "admin" } });
  return user;
}

/** With no user yet and ARGUS_ADMIN_EMAIL/PASSWORD set, creates that admin. Safe to call on every request. */
export async function ensureEnvAdmin(db: Db, env: Pick<Env, "ARGUS_ADMIN_EMAIL" | "ARGUS_ADMIN_PASSWORD">): Promise<void> {
  if (!env.ARGUS_ADMIN_EMAIL || !env.ARGUS_ADMIN_PASSWORD) return;
  if ((await db.user.count()) > 0) return;
  try {
    await createAdmin(db, { email: env.ARGUS_ADMIN_EMAIL.toLowerCase(), password: env.ARGUS_ADMIN_PASSWORD });
    log.info("created the admin account from ARGUS_ADMIN_EMAIL", { email: env.ARGUS_ADMIN_EMAIL });
  } catch (error) {
    // Another process created it at the same moment: the unique email rejected the duplicate.
    if ((await db.user.count()) === 0) throw error;
  }
}

export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** First-run setup: only while no user exists. */
export async function setupFirstAdmin(db: Db, input: z.infer<typeof ZSetupInput>) {
  if (!(await needsSetup(db))) throw new AppError("conflict", "Setup is already done; sign in instead");
  return createAdmin(db, input);
}

export async function signIn(db: Db, input: z.infer<typeof ZCredentials>, ip: string, nowMs: number) {
  const ipHit = await hitRateLimit(db, `login:ip:${ip}`, LOGIN_RULES.perIp, nowMs);
  const emailHit = await hitRateLimit(db, `login:email:${input.email}`, LOGIN_RULES.perEmail, nowMs);
  const blocked = [ipHit, emailHit].find((hit) => !hit.allowed);
  if (blocked) {
    const seconds = Math.max(1, Math.ceil(blocked.retryAfterMs / 1000));
    throw new AppError("rate_limited", `Too many sign-in attempts; try again in ${seconds} s`, { "Retry-After": String(seconds) });
  }
  const user = await db.user.findUnique({ where: { email: input.email } });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new AppError("unauthorized", "Wrong email or password");
  await clearRateLimit(db, `login:email:${input.email}`);
  return user;
}

/** Set by the production web server (lib/http/client-address.ts); `next dev` has no such server. */
export function clientIp(req: Request): string {
  return req.headers.get(CLIENT_ADDRESS_HEADER) || "local";
}
