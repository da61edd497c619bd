import { ZCredentials, clientIp, ensureEnvAdmin, signIn } from "@/lib/auth/accounts";
import { requireJson } from "@/lib/auth/require-json";
import { createSession, withSessionCookies } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({
  auth: "none",
  body: ZCredentials,
  handler: async ({ req, body }) => {
    requireJson(req);
    const env = getEnv();
    if (!env.ARGUS_PASSWORD_LOGIN) throw new AppError("forbidden", `Password sign-in is turned off; sign in with ${env.ARGUS_OIDC_NAME}`);
    const db = getDb();
    await ensureEnvAdmin(db, env);
    const address = clientIp(req);
    const user = await signIn(db, body, address, Date.now(), req.headers.get("user-agent"));
    const session = await createSession(db, user.id, new Date(), { method: "password", userAgent: req.headers.get("user-agent"), address });
    return withSessionCookies(req, session, { user: { id: user.id, email: user.email, isAdmin: user.isAdmin } });
  },
});
