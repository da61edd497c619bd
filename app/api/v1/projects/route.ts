import { listUserProjects } from "@/lib/auth/session";
import { requireSession } from "@/lib/auth/require-session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZProjectCreate, createProject } from "@/lib/queries/projects";

export const dynamic = "force-dynamic";

/** GET /api/v1/projects: projects the caller may open (an API key sees its own project). */
export const GET = route({
  auth: "any",
  handler: async ({ auth }) => {
    const db = getDb();
    if (auth.kind !== "session") return { activeProjectId: auth.projectId, projects: await db.project.findMany({ where: { id: auth.projectId } }) };
    const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { id: true, isAdmin: true } });
    return { activeProjectId: auth.projectId, projects: await listUserProjects(db, user) };
  },
});

/** POST /api/v1/projects {name}: admins create projects. */
export const POST = route({
  auth: "any",
  body: ZProjectCreate,
  handler: async ({ auth, body }) => {
    const session = requireSession(auth, { admin: true });
    return Response.json(await createProject(getDb(), session.userId, body.name), { status: 201 });
  },
});
