import { ZAlertListQuery } from "@/lib/alerts/alert-schemas";
import { listAlerts } from "@/lib/alerts/query-alerts";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  query: ZAlertListQuery,
  handler: async ({ auth, query }) => listAlerts(getDb(), auth.projectId, query, Date.now()),
});
