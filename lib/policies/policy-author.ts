// Who applied a policy version, in words a reviewer recognizes: the API key's name and prefix, or the user's email.
import type { Db } from "../db";
import type { Principal } from "../http/route";

export async function describeAuthor(db: Db, principal: Principal): Promise<string> {
  if (principal.kind === "apiKey") {
    const key = await db.apiKey.findUnique({ where: { id: principal.keyId }, select: { name: true, prefix: true } });
    return key ? `key ${key.prefix}… (${key.name})` : `key ${principal.keyId}`;
  }
  const user = await db.user.findUnique({ where: { id: principal.userId }, select: { email: true } });
  return `user ${user?.email ?? principal.userId}`;
}
