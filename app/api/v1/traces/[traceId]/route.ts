import { getDb } from "@/lib/db";
import { getTraceWithAnomalies } from "@/lib/detect/query-anomalies";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<"read", undefined, undefined, { traceId: string }>({
  auth: "read",
  handler: async ({ auth, params }) => getTraceWithAnomalies(getDb(), auth.projectId, params.traceId),
});
