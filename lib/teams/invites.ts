// Invitations to a project by link: an owner creates one (optionally for an email address, sent by mail
// when SMTP is configured), copies the link, and whoever opens it joins with the invited role, signing
// up on the spot if they have no account. Links are single-use, expire after 7 days, and only
// sha256(token) is stored, like sessions and API keys.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { AppError } from "../errors";
import { ZEmail, ZNewPassword } from "../auth/accounts";
import { hashPassword } from "../auth/password";
import { ROLES, roleOf, type Role } from "../auth/permissions";

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

export const ZInviteCreate = z.object({ role: z.enum(ROLES), email: ZEmail.optional() }).strict();
export const ZInviteAccept = z.object({ email: ZEmail.optional(), password: ZNewPassword.optional(), name: z.string().trim().max(100).optional() }).strict();

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const INVALID = "This invitation link is invalid, was already used or has expired; ask for a new one";

export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${token}`;
}

export async function createInvite(db: Db, input: { projectId: string; role: Role; email?: string; createdById?: string }, now: Date, audit: AuditContext = SYSTEM_CONTEXT) {
  const token = randomBytes(32).toString("base64url");
  const row = await auditedTransaction(db, async (tx) => {
    const created = await tx.invite.create({
      data: {
        projectId: input.projectId, role: input.role, email: input.email ?? null, tokenHash: sha256(token), createdById: input.createdById ?? null,
        createdAt: now, expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      },
    });
    await appendAudit(tx, audit, { action: "member.invite", target: { type: "invite", id: created.id }, projectId: input.projectId, details: { role: created.role, email: created.email } });
    return created;
  });
  return { token, invite: { id: row.id, role: row.role, email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt } };
}

/** What POST /api/v1/invites answers (201): the link is shown this once; `mailed` says whether it was also sent by mail. */
export interface InviteCreated {
  invite: Awaited<ReturnType<typeof createInvite>>["invite"];
  url: string;
  mailed: boolean;
  mailError?: string;
}

export async function listInvites(db: Db, projectId: string, now: Date) {
  const rows = await db.invite.findMany({
    where: { projectId, acceptedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, email: true, createdAt: true, expiresAt: true },
  });
  return { invites: rows };
}

export async function revokeInvite(db: Db, projectId: string, id: string, audit: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const { count } = await tx.invite.deleteMany({ where: { id, projectId, acceptedAt: null } });
    if (count === 0) throw new AppError("not_found", `No pending invitation with id ${id} in this project`);
    await appendAudit(tx, audit, { action: "member.invite_revoke", target: { type: "invite", id }, projectId });
  });
}

async function findLive(db: Db, token: string, now: Date) {
  const row = await db.invite.findUnique({ where: { tokenHash: sha256(token) }, include: { project: { select: { name: true } } } });
  if (!row || row.acceptedAt || row.expiresAt.getTime() <= now.getTime()) throw new AppError("not_found", INVALID);
  return row;
}

/** What the invitation page shows to whoever holds the link. */
export async function previewInvite(db: Db, token: string, now: Date) {
  const row = await findLive(db, token, now);
  return { projectName: row.project.name, role: roleOf(row.role), email: row.email, expiresAt: row.expiresAt };
}

/**
 * Joins the project: as the signed-in user, or as a new account (email from the invitation when it names
 * one). The invitation is marked used by a conditional update, so a link works once even when two
 * browsers accept it at the same moment.
 */
/** `origin`: where the request came from; the audit entry's actor is the user who joins. */
export async function acceptInvite(
  db: Db, token: string, who: { userId: string } | { signup: z.infer<typeof ZInviteAccept> }, now: Date, origin: Omit<AuditContext, "actor"> = {},
): Promise<{ userId: string; projectId: string; created: boolean }> {
  const invite = await findLive(db, token, now);
  const role = roleOf(invite.role);
  let userId: string;
  let created = false;
  let passwordHash: string | null = null;
  if ("signup" in who) {
    if (!who.signup.password) throw new AppError("bad_request", "Invalid body: password: choose a password (at least 8 characters)");
    passwordHash = await hashPassword(who.signup.password);
  }
  return auditedTransaction(db, async (tx) => {
    const used = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: now } });
    if (used.count === 0) throw new AppError("not_found", INVALID);
    if ("userId" in who) {
      userId = who.userId;
      if (invite.email) {
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
        if (user.email !== invite.email) throw new AppError("forbidden", `This invitation is for ${invite.email}; sign in with that account`);
      }
    } else {
      const email = invite.email ?? who.signup.email;
      if (!email) throw new AppError("bad_request", "Invalid body: email: is required");
      if (await tx.user.findUnique({ where: { email } })) throw new AppError("conflict", "An account with this email exists: sign in first, then open the link again");
      userId = (await tx.user.create({ data: { email, name: who.signup.name || null, passwordHash } })).id;
      created = true;
    }
    const existing = await tx.membership.findUnique({ where: { userId_projectId: { userId, projectId: invite.projectId } } });
    if (!existing) await tx.membership.create({ data: { userId, projectId: invite.projectId, role } });
    // Joining again never lowers a role the user already has.
    else if (["viewer", "member", "owner"].indexOf(role) > ["viewer", "member", "owner"].indexOf(roleOf(existing.role))) {
      await tx.membership.update({ where: { userId_projectId: { userId, projectId: invite.projectId } }, data: { role } });
    }
    await tx.invite.update({ where: { id: invite.id }, data: { acceptedById: userId } });
    const email = (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })).email;
    await appendAudit(tx, { actor: { type: "user", id: userId, name: email }, ...origin }, {
      action: "member.join", target: { type: "user", id: userId }, projectId: invite.projectId, details: { inviteId: invite.id, role, newAccount: created },
    });
    return { userId, projectId: invite.projectId, created };
  });
}
