// Single sign-on: which Argus access an identity provider's claims grant. Pure, table-tested.
// The claim (ARGUS_OIDC_ROLE_CLAIM, a dotted path such as "realm_access.roles") holds a string or a list
// of strings (groups); each value is mapped through ARGUS_OIDC_ROLE_MAP ("argus-admins=admin,devs=member").
// The powerful grants need an explicit entry: a value named "owner" or "admin" grants nothing by itself
// (with ARGUS_OIDC_ROLE_CLAIM=groups, an IdP group that happens to be called "admin" must not make
// instance administrators); write "owner=owner" or "admin=admin" to mean it. Only "member" and "viewer"
// map to themselves. The highest role wins; "admin" is an instance administrator (owner of every
// project). No mapped value: ARGUS_OIDC_DEFAULT_ROLE (viewer unless configured; never owner), or refusal.
import { ROLES, type Role } from "./permissions";

export type Grant = Role | "admin";

/** Roles an unmapped user may get by default: never owner (a mapping entry is required for that). */
export const DEFAULT_ROLES = ["member", "viewer", "none"] as const;
export type DefaultRole = (typeof DEFAULT_ROLES)[number];

export interface RoleMapping {
  claim: string;
  map: Map<string, Grant>;
  defaultRole: DefaultRole;
}

const GRANTS: readonly Grant[] = [...ROLES, "admin"];
/** Claim values that grant their own name without a map entry: the ones that cannot manage anything. */
const SELF_MAPPED: readonly Grant[] = ["member", "viewer"];

export function parseRoleMap(text: string | undefined): Map<string, Grant> {
  const map = new Map<string, Grant>();
  for (const entry of (text ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf("=");
    const value = entry.slice(0, eq).trim();
    const grant = entry.slice(eq + 1).trim() as Grant;
    if (eq <= 0 || !value || !GRANTS.includes(grant)) throw new Error(`'${entry}' must be <claim value>=<${GRANTS.join("|")}>`);
    map.set(value, grant);
  }
  return map;
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), claims);
}

/** The access the claims grant, or null when they grant none. */
export function accessFromClaims(claims: Record<string, unknown>, mapping: RoleMapping): { role: Role; admin: boolean } | null {
  const raw = claimAt(claims, mapping.claim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
  const grants = values.map((v) => mapping.map.get(v) ?? (SELF_MAPPED.includes(v as Grant) ? (v as Grant) : null)).filter((g): g is Grant => g !== null);
  if (grants.includes("admin")) return { role: "owner", admin: true };
  const best = ROLES.filter((r) => grants.includes(r)).at(-1);
  if (best) return { role: best, admin: false };
  return mapping.defaultRole === "none" ? null : { role: mapping.defaultRole, admin: false };
}
