import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listSpans } from "@/lib/queries/list-spans";
import { ZSpanListQuery } from "@/lib/queries/span-list-query";

export const dynamic = "force-dynamic";

/** GET /api/v1/spans: spans with their scores and span-level anomalies (filters, keyset pagination via `cursor`). */
export const GET = route({
  auth: "read",
  query: ZSpanListQuery,
  handler: async ({ query, auth }) => listSpans(getRaw(), auth.projectId, query, Date.now()),
});
