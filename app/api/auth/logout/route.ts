import { clearSessionCookies, deleteSession, sessionToken } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// auth "session" runs the session's CSRF check, so another site cannot sign the user out.
export const POST = route({
  auth: "session",
  handler: async ({ req }) => {
    await deleteSession(getDb(), sessionToken(req));
    const headers = new Headers({ "content-type": "application/json" });
    for (const cookie of clearSessionCookies(req)) headers.append("set-cookie", cookie);
    return new Response(JSON.stringify({ ok: true }), { headers });
  },
});
