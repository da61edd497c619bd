import { revokeApiKey } from "@/lib/auth/api-keys";
import { requireSession } from "@/lib/auth/require-session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/keys/{id}: revokes the key at once (authentication looks the hash up on every request). */
export const DELETE = route<"any", undefined, undefined, { keyId: string }>({
  auth: "any",
  handler: async ({ auth, params }) => {
    const session = requireSession(auth);
    await revokeApiKey(getDb(), params.keyId, session.projectId);
    return { ok: true };
  },
});
