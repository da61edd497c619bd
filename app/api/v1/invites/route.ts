import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { jsonResponse, route } from "@/lib/http/route";
import { sendInviteMail } from "@/lib/teams/invite-mail";
import { createInvite, inviteUrl, listInvites, ZInviteCreate, type InviteCreated } from "@/lib/teams/invites";

export const dynamic = "force-dynamic";

/** GET /api/v1/invites: the project's pending invitations (never their links: only hashes are stored). */
export const GET = route({
  auth: "manage",
  handler: async ({ auth }) => listInvites(getDb(), auth.projectId, new Date()),
});

/** POST /api/v1/invites {role, email?}: a single-use link to join the project; mailed too when SMTP is set up and an email is given. */
export const POST = route({
  auth: "manage",
  body: ZInviteCreate,
  handler: async ({ req, auth, body }) => {
    const db = getDb();
    const env = getEnv();
    const { token, invite } = await createInvite(db, { projectId: auth.projectId, role: body.role, email: body.email, createdById: auth.kind === "session" ? auth.userId : undefined }, new Date(), await auditContextOf(db, req, auth));
    const url = inviteUrl(env.publicUrl, token);
    let mail: { sent: boolean; error?: string } = { sent: false };
    if (body.email) {
      const project = await db.project.findUniqueOrThrow({ where: { id: auth.projectId }, select: { name: true } });
      const inviter = auth.kind === "session" ? (await db.user.findUnique({ where: { id: auth.userId }, select: { email: true } }))?.email : undefined;
      mail = await sendInviteMail(env, { to: body.email, projectName: project.name, role: body.role, url, invitedBy: inviter ?? "A project owner" });
    }
    const created: InviteCreated = { invite, url, mailed: mail.sent, ...(mail.error ? { mailError: mail.error } : {}) };
    return jsonResponse(created, { status: 201 });
  },
});
