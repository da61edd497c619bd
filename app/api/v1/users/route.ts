import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZUserListQuery, listTraceUsers } from "@/lib/queries/trace-users";

export const dynamic = "force-dynamic";

/** GET /api/v1/users: users with a trace in the range, latest first, with their figures in the range. */
export const GET = route({
  auth: "read",
  query: ZUserListQuery,
  handler: async ({ query, auth }) => listTraceUsers(getRaw(), auth.projectId, query, Date.now()),
});
