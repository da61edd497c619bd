import { requireSession } from "@/lib/auth/require-session";
import { resolveProjectId } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import "@/lib/auth/session";
import { ZProjectUpdate, updateProject } from "@/lib/queries/projects";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/projects/{id} {name?, retentionDays?, sensitivity?}: admins change a project's settings. */
export const PATCH = route<"any", undefined, import("zod").infer<typeof ZProjectUpdate>, { projectId: string }>({
  auth: "any",
  body: ZProjectUpdate,
  handler: async ({ auth, body, params }) => {
    const session = requireSession(auth, { admin: true });
    const db = getDb();
    await resolveProjectId(db, { id: session.userId, isAdmin: session.isAdmin }, params.projectId, true);
    return updateProject(db, params.projectId, body);
  },
});
