import { listUserSessions } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/auth/sessions: the signed-in user's sessions (where and how each was opened). */
export const GET = route({
  auth: "session",
  handler: async ({ auth }) => listUserSessions(getDb(), auth.userId, auth.sessionId, new Date()),
});
