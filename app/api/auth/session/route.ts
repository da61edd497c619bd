import { listUserProjects, requestedProject } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Who is signed in, the active project with their role, and the projects they may switch to. */
export const GET = route({
  auth: "session",
  handler: async ({ req, auth }) => {
    const db = getDb();
    const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { id: true, email: true, name: true, isAdmin: true, passwordHash: true } });
    const projects = await listUserProjects(db, user);
    // A user with no project yet (removed from the last one) still has an account page.
    const active = projects.length ? await requestedProject(req, db, auth) : null;
    return {
      user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, hasPassword: user.passwordHash !== null },
      projectId: active?.projectId ?? null,
      role: active?.role ?? null,
      projects: projects.map((p) => ({ id: p.id, name: p.name, role: p.role })),
    };
  },
});
