import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZSessionTurnsQuery, getTraceSession, type TSessionTurnsQuery } from "@/lib/queries/trace-sessions";

export const dynamic = "force-dynamic";

/** GET /api/v1/sessions/{sessionId}: the session's figures and its turns in time order (keyset `cursor`). */
export const GET = route<"read", TSessionTurnsQuery, undefined, { sessionId: string }>({
  auth: "read",
  query: ZSessionTurnsQuery,
  handler: async ({ auth, params, query }) => getTraceSession(getRaw(), auth.projectId, params.sessionId, query),
});
