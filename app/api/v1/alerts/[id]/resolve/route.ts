import { changeAlertStatus } from "@/lib/alerts/alert-actions";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const POST = route<"triage", undefined, undefined, { id: string }>({
  auth: "triage",
  handler: async ({ auth, params }) => ({ alert: await changeAlertStatus(getDb(), auth.projectId, params.id, "resolve", new Date()) }),
});
