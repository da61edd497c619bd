import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/teams/members";

export const dynamic = "force-dynamic";

/** GET /api/v1/members: who has access to the project, with their roles. */
export const GET = route({
  auth: "read",
  handler: async ({ auth }) => listMembers(getDb(), auth.projectId),
});
