import { getDb, getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { buildOverview } from "@/lib/queries/overview";
import { ZTimeRangeQuery, resolveTimeRange } from "@/lib/queries/time-range";

export const dynamic = "force-dynamic";

/** GET /api/v1/overview?range=24h (or from/to in ms): figures, series and breakdowns. */
export const GET = route({
  auth: "read",
  query: ZTimeRangeQuery,
  handler: async ({ query, auth }) => buildOverview(getDb(), getRaw(), auth.projectId, resolveTimeRange(query, Date.now())),
});
