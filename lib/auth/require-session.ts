import { AppError } from "../http/errors";
import type { Principal, SessionPrincipal } from "../http/route";

/** Account-level actions (keys, projects, settings) need a signed-in user, not an API key. */
export function requireSession(auth: Principal, options: { admin?: boolean } = {}): SessionPrincipal {
  if (auth.kind !== "session") throw new AppError("forbidden", "This action needs a signed-in user; API keys cannot manage keys or projects");
  if (options.admin && !auth.isAdmin) throw new AppError("forbidden", "Only admins can do this");
  return auth;
}
