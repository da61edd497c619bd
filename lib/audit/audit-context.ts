// Who a request acts for and from where, as the audit trail records it. API key names and prefixes never
// change after creation, so they are cached; a user's email is read per request.
import { clientIp } from "../auth/accounts";
import type { UserPrincipal } from "../auth/types";
import type { Db } from "../db";
import type { Principal } from "../http/route";
import type { AuditActor, AuditContext } from "./audit-actions";

const keyLabels = new Map<string, string>();
const KEY_LABEL_CACHE_LIMIT = 10_000;

export async function actorOf(db: Db, principal: Principal | UserPrincipal): Promise<AuditActor> {
  if (principal.kind === "apiKey") return { type: "apiKey", id: principal.keyId, name: await keyLabel(db, principal.keyId) };
  return userActor(db, principal.userId);
}

export async function userActor(db: Db, userId: string): Promise<AuditActor> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  return { type: "user", id: userId, name: user?.email ?? null };
}

async function keyLabel(db: Db, keyId: string): Promise<string | null> {
  const cached = keyLabels.get(keyId);
  if (cached) return cached;
  const key = await db.apiKey.findUnique({ where: { id: keyId }, select: { name: true, prefix: true } });
  if (!key) return null;
  const label = `${key.prefix}… (${key.name})`;
  if (keyLabels.size >= KEY_LABEL_CACHE_LIMIT) keyLabels.clear();
  keyLabels.set(keyId, label);
  return label;
}

/** The request's client address (set by the production web server) and user agent. */
export function requestOrigin(req: Request): Pick<AuditContext, "ip" | "userAgent"> {
  return { ip: clientIp(req), userAgent: req.headers.get("user-agent") };
}

/** Who acts and from where, for a route's handler to pass to the lib/ function it calls. */
export async function auditContextOf(db: Db, req: Request, principal: Principal | UserPrincipal): Promise<AuditContext> {
  return { actor: await actorOf(db, principal), ...requestOrigin(req) };
}
