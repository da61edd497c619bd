import { ZCredentials, clientIp, ensureEnvAdmin, signIn } from "@/lib/auth/accounts";
import { createSession, sessionSetCookies } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requireJson } from "@/lib/auth/require-json";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({
  auth: "none",
  body: ZCredentials,
  handler: async ({ req, body }) => {
    requireJson(req);
    const db = getDb();
    await ensureEnvAdmin(db, getEnv());
    const user = await signIn(db, body, clientIp(req), Date.now());
    const session = await createSession(db, user.id, new Date());
    const headers = new Headers({ "content-type": "application/json" });
    for (const cookie of sessionSetCookies(req, session)) headers.append("set-cookie", cookie);
    return new Response(JSON.stringify({ user: { id: user.id, email: user.email, isAdmin: user.isAdmin } }), { headers });
  },
});
