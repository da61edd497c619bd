// Accounts created or repaired by an administrator (CLI) and by accepted invitations.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { AppError } from "../errors";
import { hashPassword } from "./password";
import type { Role } from "./permissions";

/** A random password for an administrator to hand over (20 characters, base64url). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

export async function createUser(db: Db, input: { email: string; password: string | null; name?: string | null; isAdmin?: boolean; project?: { id: string; role: Role } }) {
  const email = input.email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email } })) throw new AppError("conflict", `A user with the email ${email} already exists`);
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email, name: input.name ?? null, passwordHash, isAdmin: input.isAdmin ?? false } });
    if (input.project) await tx.membership.create({ data: { userId: user.id, projectId: input.project.id, role: input.project.role } });
    return user;
  });
}

/** Sets a new password and signs the user out everywhere (whoever knew the old one loses access). */
export async function resetPassword(db: Db, email: string, password: string): Promise<{ signedOut: number }> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new AppError("not_found", `No user with the email ${email}`);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  const { count } = await db.session.deleteMany({ where: { userId: user.id } });
  return { signedOut: count };
}
