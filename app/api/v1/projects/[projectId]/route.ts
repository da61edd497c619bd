import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { ZProjectUpdate, updateProject } from "@/lib/queries/projects";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/projects/{id} {name?, retentionDays?, sensitivity?, falseAlertsPer10k?}: the project's owners change its settings. */
export const PATCH = route<"manage", undefined, import("zod").infer<typeof ZProjectUpdate>, { projectId: string }>({
  auth: "manage",
  body: ZProjectUpdate,
  handler: async ({ auth, body, params }) => {
    // The caller's project comes from authentication (?project= for users); the path must name that one.
    if (params.projectId !== auth.projectId) throw new AppError("forbidden", "Send ?project=<id> of the project you change; you may change only a project you own");
    return updateProject(getDb(), params.projectId, body);
  },
});
