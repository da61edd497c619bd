import { describeActor } from "@/lib/audit/audit-actions";
import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { jsonResponse, route } from "@/lib/http/route";
import { ZPolicyApply } from "@/lib/policies/policy-api-schemas";
import { applyPolicy, listPolicies } from "@/lib/policies/policy-store";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  handler: async ({ auth }) => listPolicies(getDb(), auth.projectId),
});

export const POST = route({
  auth: "manage",
  body: ZPolicyApply,
  handler: async ({ req, auth, body }) => {
    const db = getDb();
    const audit = await auditContextOf(db, req, auth);
    const applied = await applyPolicy(db, { projectId: auth.projectId, source: body.source, author: describeActor(audit.actor), audit });
    return jsonResponse(applied, { status: applied.created ? 201 : 200 });
  },
});
