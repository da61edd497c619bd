import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { changeMemberRole, removeMember } from "@/lib/teams/members";

export const dynamic = "force-dynamic";

const ZRoleChange = z.object({ role: z.enum(ROLES) }).strict();

/** PATCH /api/v1/members/{userId} {role}: owners change a member's role (the last owner stays one). */
export const PATCH = route<"manage", undefined, z.infer<typeof ZRoleChange>, { userId: string }>({
  auth: "manage",
  body: ZRoleChange,
  handler: async ({ auth, params, body }) => changeMemberRole(getDb(), auth.projectId, params.userId, body.role),
});

/** DELETE /api/v1/members/{userId}: removes the member from the project (their account stays). */
export const DELETE = route<"manage", undefined, undefined, { userId: string }>({
  auth: "manage",
  handler: async ({ auth, params }) => {
    await removeMember(getDb(), auth.projectId, params.userId);
    return new Response(null, { status: 204 });
  },
});
