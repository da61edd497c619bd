import { getAlertDetail } from "@/lib/alerts/query-alerts";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<"read", undefined, undefined, { id: string }>({
  auth: "read",
  handler: async ({ auth, params }) => getAlertDetail(getDb(), auth.projectId, params.id),
});
