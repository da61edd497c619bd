import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listAgentSteps } from "@/lib/queries/agents";
import { ZTimeRangeQuery, resolveTimeRange } from "@/lib/queries/time-range";

export const dynamic = "force-dynamic";

/** GET /api/v1/agents: agents and their steps with counts, errors, latency and cost in the range. */
export const GET = route({
  auth: "read",
  query: ZTimeRangeQuery,
  handler: async ({ query, auth }) => listAgentSteps(getRaw(), auth.projectId, resolveTimeRange(query, Date.now())),
});
