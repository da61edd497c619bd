// Members of a project and their roles. A project keeps at least one owner: the last one cannot be
// removed or demoted (an instance admin can always step in, being owner of every project).
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { AppError } from "../errors";
import { roleOf, type Role } from "../auth/permissions";

export async function listMembers(db: Db, projectId: string) {
  const rows = await db.membership.findMany({
    where: { projectId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, isAdmin: true, oidcSubject: true } } },
  });
  return {
    members: rows.map((m) => ({
      userId: m.user.id, email: m.user.email, name: m.user.name, role: roleOf(m.role), isAdmin: m.user.isAdmin,
      signIn: m.user.oidcSubject ? ("sso" as const) : ("password" as const), joinedAt: m.createdAt,
    })),
  };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Runs `change` with the project's membership changes serialised: a write to the project row first takes
 * SQLite's write lock (so the reads that follow cannot go stale before the write) and PostgreSQL's row lock
 * on the project (a concurrent change of the same project waits for this one to commit, then reads what it
 * wrote). The check "another owner remains" and the update are then one atomic step: two owners demoting
 * or removing each other at the same moment leave one owner, and the second gets the conflict.
 */
async function withProjectLocked<T>(db: Db, projectId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  return auditedTransaction(db, async (tx) => {
    await tx.$executeRaw`UPDATE "projects" SET "name" = "name" WHERE "id" = ${projectId}`;
    return change(tx);
  });
}

async function ownersOtherThan(db: Tx, projectId: string, userId: string): Promise<number> {
  return db.membership.count({ where: { projectId, role: { in: ["owner", "admin"] }, userId: { not: userId } } });
}

async function membershipOf(db: Tx, projectId: string, userId: string) {
  const row = await db.membership.findUnique({ where: { userId_projectId: { userId, projectId } } });
  if (!row) throw new AppError("not_found", `No member with id ${userId} in this project`);
  return row;
}

const LAST_OWNER = "This is the project's last owner; make someone else owner first";

export async function changeMemberRole(db: Db, projectId: string, userId: string, role: Role, audit: AuditContext = SYSTEM_CONTEXT) {
  return withProjectLocked(db, projectId, async (tx) => {
    const row = await membershipOf(tx, projectId, userId);
    if (roleOf(row.role) === "owner" && role !== "owner" && (await ownersOtherThan(tx, projectId, userId)) === 0) throw new AppError("conflict", LAST_OWNER);
    await tx.membership.update({ where: { userId_projectId: { userId, projectId } }, data: { role } });
    await appendAudit(tx, audit, { action: "member.role_change", target: { type: "user", id: userId }, projectId, details: { from: roleOf(row.role), to: role } });
    return { userId, role };
  });
}

export async function removeMember(db: Db, projectId: string, userId: string, audit: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  await withProjectLocked(db, projectId, async (tx) => {
    const row = await membershipOf(tx, projectId, userId);
    if (roleOf(row.role) === "owner" && (await ownersOtherThan(tx, projectId, userId)) === 0) throw new AppError("conflict", LAST_OWNER);
    await tx.membership.delete({ where: { userId_projectId: { userId, projectId } } });
    await appendAudit(tx, audit, { action: "member.remove", target: { type: "user", id: userId }, projectId, details: { role: roleOf(row.role) } });
  });
}
