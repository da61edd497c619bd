// What the audit trail records: a closed set of actions, who acted and from where. Runtime-neutral (the
// API's filters and the dashboard read it); the store is lib/audit/audit-store.ts.

export const AUDIT_ACTIONS = [
  "policy.apply",
  "decision.create",
  "anomaly.feedback",
  "alert.acknowledge",
  "alert.resolve",
  "key.create",
  "key.revoke",
  "channel.create",
  "channel.update",
  "channel.delete",
  "member.invite",
  "member.invite_revoke",
  "member.join",
  "member.role_change",
  "member.remove",
  "auth.sign_in",
  "auth.sign_in_failed",
  "audit.prune",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ACTOR_TYPES = ["user", "apiKey", "system", "anonymous"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who acted: a user (id, email), an API key (id, "name (prefix…)"), the system or a CLI ("cli <os user>"), or an unknown caller. */
export interface AuditActor {
  type: ActorType;
  id: string | null;
  name: string | null;
}

/** Who acted and from where (the client address and user agent of the request; none for the CLI and workers). */
export interface AuditContext {
  actor: AuditActor;
  ip?: string | null;
  userAgent?: string | null;
}

/** What happened, to what, in which project. */
export interface AuditEvent {
  action: AuditAction;
  target?: { type: string; id: string } | null;
  projectId?: string | null;
  details?: Record<string, unknown>;
}

export const SYSTEM_CONTEXT: AuditContext = { actor: { type: "system", id: null, name: "system" } };

/** The CLI acts as the operating-system user who runs it. */
export function cliContext(osUser: string): AuditContext {
  return { actor: { type: "system", id: null, name: `cli ${osUser}` } };
}

/** How an actor reads in lists and in a policy version's author column: "user alice@example.com", "key ci (argus_ab12cd…)". */
export function describeActor(actor: AuditActor): string {
  if (actor.type === "user") return `user ${actor.name ?? actor.id}`;
  if (actor.type === "apiKey") return `key ${actor.name ?? actor.id}`;
  return actor.name ?? actor.type;
}
