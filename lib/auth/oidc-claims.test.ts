import { describe, expect, it } from "vitest";
import { accessFromClaims, parseRoleMap, type RoleMapping } from "./oidc-claims";

const mapping = (over: Partial<RoleMapping> = {}): RoleMapping => ({ claim: "argus_role", map: parseRoleMap("argus-admins=admin,developers=member,support=viewer"), defaultRole: "viewer", ...over });

describe("accessFromClaims", () => {
  it.each([
    ["a mapped group", { argus_role: "developers" }, mapping(), { role: "member", admin: false }],
    ["a role name maps to itself", { argus_role: "owner" }, mapping(), { role: "owner", admin: false }],
    ["the admin group: instance admin and owner", { argus_role: ["support", "argus-admins"] }, mapping(), { role: "owner", admin: true }],
    ["the highest of several", { argus_role: ["support", "developers"] }, mapping(), { role: "member", admin: false }],
    ["no claim: the default role", {}, mapping(), { role: "viewer", admin: false }],
    ["an unmapped value: the default role", { argus_role: "marketing" }, mapping(), { role: "viewer", admin: false }],
    ["no claim and no default: refused", {}, mapping({ defaultRole: "none" }), null],
    ["a nested claim path (Keycloak)", { realm_access: { roles: ["offline_access", "developers"] } }, mapping({ claim: "realm_access.roles" }), { role: "member", admin: false }],
    ["a claim name with a dot in it", { "https://argus/role": "owner" }, mapping({ claim: "https://argus/role" }), { role: "owner", admin: false }],
    ["non-string values are ignored", { argus_role: [1, { x: "owner" }, "viewer"] }, mapping({ defaultRole: "none" }), { role: "viewer", admin: false }],
  ] as const)("%s", (_name, claims, m, expected) => {
    expect(accessFromClaims(claims as Record<string, unknown>, m)).toEqual(expected);
  });

  it.each(["developers", "developers=root", "=owner", "a=b=owner=x"])("refuses the role map entry %j", (entry) => {
    expect(() => parseRoleMap(entry)).toThrow(/must be/);
  });
});
