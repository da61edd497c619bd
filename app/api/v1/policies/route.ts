import { getDb } from "@/lib/db";
import { jsonResponse, route } from "@/lib/http/route";
import { ZPolicyApply } from "@/lib/policies/policy-api-schemas";
import { describeAuthor } from "@/lib/policies/policy-author";
import { applyPolicy, listPolicies } from "@/lib/policies/policy-store";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  handler: async ({ auth }) => listPolicies(getDb(), auth.projectId),
});

export const POST = route({
  auth: "manage",
  body: ZPolicyApply,
  handler: async ({ auth, body }) => {
    const db = getDb();
    const applied = await applyPolicy(db, { projectId: auth.projectId, source: body.source, author: await describeAuthor(db, auth) });
    return jsonResponse(applied, { status: applied.created ? 201 : 200 });
  },
});
