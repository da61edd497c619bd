// Members of a project and their roles. A project keeps at least one owner: the last one cannot be
// removed or demoted (an instance admin can always step in, being owner of every project).
import type { Db } from "../db";
import { AppError } from "../http/errors";
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
      signIn: m.user.oidcSubject ? "sso" : "password", joinedAt: m.createdAt,
    })),
  };
}

async function ownersOtherThan(db: Db, projectId: string, userId: string): Promise<number> {
  return db.membership.count({ where: { projectId, role: { in: ["owner", "admin"] }, userId: { not: userId } } });
}

async function membershipOf(db: Db, projectId: string, userId: string) {
  const row = await db.membership.findUnique({ where: { userId_projectId: { userId, projectId } } });
  if (!row) throw new AppError("not_found", `No member with id ${userId} in this project`);
  return row;
}

export async function changeMemberRole(db: Db, projectId: string, userId: string, role: Role) {
  const row = await membershipOf(db, projectId, userId);
  if (roleOf(row.role) === "owner" && role !== "owner" && (await ownersOtherThan(db, projectId, userId)) === 0) {
    throw new AppError("conflict", "This is the project's last owner; make someone else owner first");
  }
  await db.membership.update({ where: { userId_projectId: { userId, projectId } }, data: { role } });
  return { userId, role };
}

export async function removeMember(db: Db, projectId: string, userId: string): Promise<void> {
  const row = await membershipOf(db, projectId, userId);
  if (roleOf(row.role) === "owner" && (await ownersOtherThan(db, projectId, userId)) === 0) {
    throw new AppError("conflict", "This is the project's last owner; make someone else owner first");
  }
  await db.membership.delete({ where: { userId_projectId: { userId, projectId } } });
}
