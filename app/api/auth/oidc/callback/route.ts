import { clientIp } from "@/lib/auth/accounts";
import { clearFlowCookie, finishSignIn } from "@/lib/auth/oidc";
import { createSession, sessionSetCookies } from "@/lib/auth/session";
import { ssoErrorReason } from "@/lib/auth/sso-errors";
import { instanceKey } from "@/lib/crypto/instance-key";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { toAppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/auth/oidc/callback: the provider sends the browser back here; signs in and redirects to `next`. */
export const GET = route({
  auth: "none",
  handler: async ({ req }) => {
    const env = getEnv();
    const db = getDb();
    const headers = new Headers({ "cache-control": "no-store" });
    headers.append("set-cookie", clearFlowCookie(req));
    try {
      const { userId, next } = await finishSignIn(db, req, env, instanceKey().key, Date.now());
      const session = await createSession(db, userId, new Date(), { method: "sso", userAgent: req.headers.get("user-agent"), address: clientIp(req) });
      for (const cookie of sessionSetCookies(req, session)) headers.append("set-cookie", cookie);
      headers.set("location", `${env.publicUrl}${next}`);
    } catch (error) {
      // The browser is mid-redirect: show the reason on the sign-in page rather than a bare JSON error.
      headers.set("location", `${env.publicUrl}/login?sso_error=${ssoErrorReason(toAppError(error).message)}`);
    }
    return new Response(null, { status: 303, headers });
  },
});
