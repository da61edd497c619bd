import { getDb } from "@/lib/db";
import { ZAnomalyListQuery } from "@/lib/detect/anomaly-schemas";
import { listAnomalies } from "@/lib/detect/query-anomalies";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  query: ZAnomalyListQuery,
  handler: async ({ auth, query }) => listAnomalies(getDb(), auth.projectId, query),
});
