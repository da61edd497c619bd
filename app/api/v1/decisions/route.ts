import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { decide } from "@/lib/decisions/decision-store";
import { ZDecisionRequest } from "@/lib/decisions/decision-schemas";
import { jsonResponse, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** An agent asks before acting; the `ingest` scope, as agents already hold it to send their spans (docs/policies.md#decisions). */
export const POST = route({
  auth: "ingest",
  body: ZDecisionRequest,
  handler: async ({ req, auth, body }) => {
    const db = getDb();
    return jsonResponse(await decide(db, { projectId: auth.projectId, request: body, audit: await auditContextOf(db, req, auth) }), { status: 201 });
  },
});
