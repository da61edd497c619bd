// Who a request acts for, shared by the session code (lib/auth/session.ts) and the route wrapper (lib/http/route.ts).
import type { Role } from "./permissions";

/** A signed-in user acting on one project, with their role in it. */
export interface SessionPrincipal {
  kind: "session";
  userId: string;
  projectId: string;
  isAdmin: boolean;
  role: Role;
  sessionId: string;
}

/** A signed-in user, for account-level routes that concern no project. */
export interface UserPrincipal {
  kind: "user";
  userId: string;
  isAdmin: boolean;
  sessionId: string;
}
