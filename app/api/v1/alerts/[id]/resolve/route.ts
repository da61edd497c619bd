import { changeAlertStatus } from "@/lib/alerts/alert-actions";
import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const POST = route<"triage", undefined, undefined, { id: string }>({
  auth: "triage",
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    return { alert: await changeAlertStatus(db, auth.projectId, params.id, "resolve", new Date(), await auditContextOf(db, req, auth)) };
  },
});
