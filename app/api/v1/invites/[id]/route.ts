import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { revokeInvite } from "@/lib/teams/invites";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/invites/{id}: the link stops working at once. */
export const DELETE = route<"manage", undefined, undefined, { id: string }>({
  auth: "manage",
  handler: async ({ auth, params }) => {
    await revokeInvite(getDb(), auth.projectId, params.id);
    return new Response(null, { status: 204 });
  },
});
