import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { changeMemberRole, removeMember } from "@/lib/teams/members";

export const dynamic = "force-dynamic";

const ZRoleChange = z.object({ role: z.enum(ROLES) }).strict();

/** PATCH /api/v1/members/{userId} {role}: owners change a member's role (the last owner stays one). */
export const PATCH = route<"manage", undefined, z.infer<typeof ZRoleChange>, { userId: string }>({
  auth: "manage",
  body: ZRoleChange,
  handler: async ({ req, auth, params, body }) => {
    const db = getDb();
    return changeMemberRole(db, auth.projectId, params.userId, body.role, await auditContextOf(db, req, auth));
  },
});

/** DELETE /api/v1/members/{userId}: removes the member from the project (their account stays). */
export const DELETE = route<"manage", undefined, undefined, { userId: string }>({
  auth: "manage",
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    await removeMember(db, auth.projectId, params.userId, await auditContextOf(db, req, auth));
    return new Response(null, { status: 204 });
  },
});
