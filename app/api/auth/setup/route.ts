import { ZSetupInput, clientIp, ensureEnvAdmin, setupFirstAdmin, signInOptions } from "@/lib/auth/accounts";
import { requireJson } from "@/lib/auth/require-json";
import { createSession, withSessionCookies } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Whether the first admin is still to be created, and how users sign in (the sign-in page's buttons). */
export const GET = route({
  auth: "none",
  handler: () => signInOptions(getDb(), getEnv()),
});

export const POST = route({
  auth: "none",
  body: ZSetupInput,
  handler: async ({ req, body }) => {
    requireJson(req);
    const env = getEnv();
    if (!env.ARGUS_PASSWORD_LOGIN) throw new AppError("forbidden", "Password accounts are turned off (ARGUS_PASSWORD_LOGIN=false); sign in with single sign-on");
    const db = getDb();
    await ensureEnvAdmin(db, env);
    const user = await setupFirstAdmin(db, body);
    const session = await createSession(db, user.id, new Date(), { method: "setup", userAgent: req.headers.get("user-agent"), address: clientIp(req) });
    return withSessionCookies(req, session, { user: { id: user.id, email: user.email, isAdmin: true } }, 201);
  },
});
