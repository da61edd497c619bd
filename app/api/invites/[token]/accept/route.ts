import { requestOrigin } from "@/lib/audit/audit-context";
import { clientIp } from "@/lib/auth/accounts";
import { requireJson } from "@/lib/auth/require-json";
import { createSession, withSessionCookies } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { currentUser, jsonResponse, route } from "@/lib/http/route";
import { acceptInvite, ZInviteAccept } from "@/lib/teams/invites";

export const dynamic = "force-dynamic";

/**
 * POST /api/invites/{token}/accept: the signed-in user joins the project; without a session, a new
 * account is created from {email?, password, name?} and signed in.
 */
export const POST = route<"none", undefined, import("zod").infer<typeof ZInviteAccept>, { token: string }>({
  auth: "none",
  body: ZInviteAccept,
  handler: async ({ req, params, body }) => {
    requireJson(req);
    const db = getDb();
    const user = await currentUser(req);
    if (!user && !getEnv().ARGUS_PASSWORD_LOGIN) throw new AppError("unauthorized", "Sign in with single sign-on first, then open the invitation link again");
    const joined = await acceptInvite(db, params.token, user ? { userId: user.userId } : { signup: body }, new Date(), requestOrigin(req));
    if (!joined.created) return jsonResponse({ projectId: joined.projectId });
    const session = await createSession(db, joined.userId, new Date(), { method: "invite", userAgent: req.headers.get("user-agent"), address: clientIp(req) });
    return withSessionCookies(req, session, { projectId: joined.projectId }, 201);
  },
});
