import { auditContextOf } from "@/lib/audit/audit-context";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/keys/{id}: revokes the key at once (authentication looks the hash up on every request). */
export const DELETE = route<"manage", undefined, undefined, { keyId: string }>({
  auth: "manage",
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    await revokeApiKey(db, params.keyId, auth.projectId, await auditContextOf(db, req, auth));
    return { ok: true };
  },
});
