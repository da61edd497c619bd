import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { ZAnomalyFeedbackBody } from "@/lib/detect/anomaly-schemas";
import { markAnomalyExpected } from "@/lib/detect/query-anomalies";
import { route } from "@/lib/http/route";

// The scorer picks the feedback up on its next tick: the value joins the baseline or the signature is suppressed.
export const POST = route<"triage", undefined, { feedback: "expected" }, { id: string }>({
  auth: "triage",
  body: ZAnomalyFeedbackBody,
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    return markAnomalyExpected(db, auth.projectId, params.id, new Date(), await auditContextOf(db, req, auth));
  },
});
