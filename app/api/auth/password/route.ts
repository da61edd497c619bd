import { changePassword, clientIp, ZPasswordChange } from "@/lib/auth/accounts";
import { requireJson } from "@/lib/auth/require-json";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/auth/password {currentPassword, newPassword}: changes the password and signs out the user's
 * other sessions. The current password is required (an SSO-only account without one gets a 400 saying to
 * ask an admin); attempts are throttled like sign-in (429 with Retry-After).
 */
export const POST = route({
  auth: "session",
  body: ZPasswordChange,
  handler: async ({ req, auth, body }) => {
    requireJson(req);
    if (!getEnv().ARGUS_PASSWORD_LOGIN) throw new AppError("forbidden", "Password sign-in is turned off; passwords are managed by single sign-on");
    return changePassword(getDb(), auth.userId, auth.sessionId, body, clientIp(req), Date.now());
  },
});
