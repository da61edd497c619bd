import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZTraceListQuery, listTraces } from "@/lib/queries/list-traces";

export const dynamic = "force-dynamic";

/** GET /api/v1/traces: the trace list (filters, sort, keyset pagination via `cursor`). */
export const GET = route({
  auth: "read",
  query: ZTraceListQuery,
  handler: async ({ query, auth }) => listTraces(getRaw(), auth.projectId, query, Date.now()),
});
