import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZSessionListQuery, listTraceSessions } from "@/lib/queries/trace-sessions";

export const dynamic = "force-dynamic";

/** GET /api/v1/sessions: conversations with a turn in the range, latest first (`q` id prefix, `userId`, keyset `cursor`). */
export const GET = route({
  auth: "read",
  query: ZSessionListQuery,
  handler: async ({ query, auth }) => listTraceSessions(getRaw(), auth.projectId, query, Date.now()),
});
