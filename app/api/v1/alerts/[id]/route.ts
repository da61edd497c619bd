import { getAlertDetail } from "@/lib/alerts/query-alerts";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<"any", undefined, undefined, { id: string }>({
  auth: "any",
  handler: async ({ auth, params }) => getAlertDetail(getDb(), auth.projectId, params.id),
});
