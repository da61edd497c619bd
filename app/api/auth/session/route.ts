import { listUserProjects, readSession, sessionToken } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Who is signed in, the active project and the projects they may switch to. */
export const GET = route({
  auth: "any",
  handler: async ({ req, auth }) => {
    if (auth.kind !== "session") throw new AppError("bad_request", "This endpoint describes browser sessions; API keys have no session");
    const db = getDb();
    const session = await readSession(db, sessionToken(req), new Date());
    if (!session) throw new AppError("unauthorized", "Sign in first");
    const projects = await listUserProjects(db, session.user);
    return { user: session.user, projectId: auth.projectId, projects: projects.map((p) => ({ id: p.id, name: p.name })) };
  },
});
