// Who may do what: API key scopes and project roles, in one table. Runtime-neutral (the dashboard
// reads it to show what the user may change); lib/http/route.ts enforces it on every route.

export const SCOPES = ["ingest", "read", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ["viewer", "member", "owner"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs.
 * - ingest: send telemetry (OTLP). API keys only.
 * - read: the JSON API's GETs of the project.
 * - triage: act on alerts and anomalies (acknowledge, resolve, mark expected, retry a delivery).
 * - manage: what a project owner changes: channels, keys, settings, members.
 */
export type ProjectAccess = "ingest" | "read" | "triage" | "manage";

export const ACCESS_RULES: Record<ProjectAccess, { scope: Scope; minRole: Role | null }> = {
  ingest: { scope: "ingest", minRole: null },
  read: { scope: "read", minRole: "viewer" },
  triage: { scope: "admin", minRole: "member" },
  manage: { scope: "admin", minRole: "owner" },
};

export type Caller = { kind: "apiKey"; scopes: readonly Scope[] } | { kind: "session"; role: Role };

/** Why `caller` may not do `access`, or null when it may. */
export function refusal(caller: Caller, access: ProjectAccess): string | null {
  const rule = ACCESS_RULES[access];
  if (caller.kind === "apiKey") {
    if (caller.scopes.includes(rule.scope)) return null;
    return `This API key lacks the '${rule.scope}' scope (it has: ${caller.scopes.join(", ") || "none"}); create a key with --scope ${rule.scope}`;
  }
  if (rule.minRole === null) return "This endpoint takes an API key with the 'ingest' scope, not a signed-in user";
  if (ROLES.indexOf(caller.role) >= ROLES.indexOf(rule.minRole)) return null;
  return `Your role in this project (${caller.role}) cannot do this; it needs ${rule.minRole === "owner" ? "an owner" : `a ${rule.minRole} or an owner`}`;
}

/** "ingest,read" → ["ingest", "read"]; unknown names are an error with the valid ones listed. */
export function parseScopes(text: string): Scope[] {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCOPES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown scope ${unknown.map((u) => `'${u}'`).join(", ")}; use ${SCOPES.join(", ")}`);
  if (names.length === 0) throw new Error(`at least one scope is needed (${SCOPES.join(", ")})`);
  return SCOPES.filter((s) => names.includes(s));
}

/** Stored scopes, read leniently (a row written by a newer version may name scopes this one ignores). */
export function storedScopes(text: string | null | undefined): Scope[] {
  return SCOPES.filter((s) => (text ?? "").split(",").map((x) => x.trim()).includes(s));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A membership row's role; rows from before roles existed said "admin" (now owner). */
export function roleOf(stored: string | null | undefined): Role {
  if (stored === "admin") return "owner";
  return stored && isRole(stored) ? stored : "viewer";
}
