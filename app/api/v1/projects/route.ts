import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZProjectCreate, createProject, listProjectsFor } from "@/lib/queries/projects";

export const dynamic = "force-dynamic";

/** GET /api/v1/projects: projects the caller may open, with their role (an API key sees its own project). */
export const GET = route({
  auth: "read",
  handler: ({ auth }) => listProjectsFor(getDb(), { projectId: auth.projectId, user: auth.kind === "session" ? { id: auth.userId, isAdmin: auth.isAdmin } : null }),
});

/** POST /api/v1/projects {name}: instance admins create projects. */
export const POST = route({
  auth: "instanceAdmin",
  body: ZProjectCreate,
  handler: async ({ auth, body }) => Response.json(await createProject(getDb(), auth.userId, body.name), { status: 201 }),
});
