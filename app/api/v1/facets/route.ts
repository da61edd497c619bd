import { z } from "zod";
import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listTraceFacets } from "@/lib/queries/list-traces";

export const dynamic = "force-dynamic";

/** GET /api/v1/facets: services, agents and models seen recently, for filter dropdowns. */
export const GET = route({
  auth: "read",
  query: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }),
  handler: async ({ query, auth }) => listTraceFacets(getRaw(), auth.projectId, Date.now() - query.days * 86_400_000),
});
