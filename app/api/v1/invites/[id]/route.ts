import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { revokeInvite } from "@/lib/teams/invites";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/invites/{id}: the link stops working at once. */
export const DELETE = route<"manage", undefined, undefined, { id: string }>({
  auth: "manage",
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    await revokeInvite(db, auth.projectId, params.id, await auditContextOf(db, req, auth));
    return new Response(null, { status: 204 });
  },
});
