import { describe, expect, it } from "vitest";
import { accessFromClaims, parseRoleMap, type RoleMapping } from "./oidc-claims";

const mapping = (over: Partial<RoleMapping> = {}): RoleMapping => ({ claim: "argus_role", map: parseRoleMap("argus-admins=admin,developers=member,support=viewer"), defaultRole: "viewer", ...over });

describe("accessFromClaims", () => {
  it.each([
    ["a mapped group", { argus_role: "developers" }, mapping(), { role: "member", admin: false }],
    ["member maps to itself", { argus_role: "member" }, mapping({ defaultRole: "none" }), { role: "member", admin: false }],
    ["viewer maps to itself", { argus_role: "viewer" }, mapping({ defaultRole: "none" }), { role: "viewer", admin: false }],
    // Audit of issue 17, gap 4: a value named owner or admin (an IdP group, say) grants nothing by itself.
    ["an unmapped value 'owner' gets the default role, not owner", { argus_role: "owner" }, mapping(), { role: "viewer", admin: false }],
    ["an unmapped value 'admin' gets the default role, not instance admin", { argus_role: "admin" }, mapping(), { role: "viewer", admin: false }],
    ["unmapped 'owner' and 'admin' groups with no default: refused", { groups: ["admin", "owner"] }, mapping({ claim: "groups", defaultRole: "none" }), null],
    ["unmapped 'admin' beside a mapped group: only the mapped role", { argus_role: ["admin", "developers"] }, mapping(), { role: "member", admin: false }],
    ["an explicit owner=owner entry grants owner", { argus_role: "owner" }, mapping({ map: parseRoleMap("owner=owner") }), { role: "owner", admin: false }],
    ["an explicit admin=admin entry grants instance admin", { argus_role: "admin" }, mapping({ map: parseRoleMap("admin=admin") }), { role: "owner", admin: true }],
    ["a map entry can lower a self-mapped value", { argus_role: "member" }, mapping({ map: parseRoleMap("member=viewer") }), { role: "viewer", admin: false }],
    ["the admin group: instance admin and owner", { argus_role: ["support", "argus-admins"] }, mapping(), { role: "owner", admin: true }],
    ["the highest of several", { argus_role: ["support", "developers"] }, mapping(), { role: "member", admin: false }],
    ["no claim: the default role", {}, mapping(), { role: "viewer", admin: false }],
    ["an unmapped value: the default role", { argus_role: "marketing" }, mapping(), { role: "viewer", admin: false }],
    ["no claim and no default: refused", {}, mapping({ defaultRole: "none" }), null],
    ["a nested claim path (Keycloak)", { realm_access: { roles: ["offline_access", "developers"] } }, mapping({ claim: "realm_access.roles" }), { role: "member", admin: false }],
    ["a claim name with a dot in it", { "https://argus/role": "developers" }, mapping({ claim: "https://argus/role", defaultRole: "none" }), { role: "member", admin: false }],
    ["non-string values are ignored", { argus_role: [1, { x: "developers" }, "viewer"] }, mapping({ defaultRole: "none" }), { role: "viewer", admin: false }],
  ] as const)("%s", (_name, claims, m, expected) => {
    expect(accessFromClaims(claims as Record<string, unknown>, m)).toEqual(expected);
  });

  it.each(["developers", "developers=root", "=owner", "a=b=owner=x"])("refuses the role map entry %j", (entry) => {
    expect(() => parseRoleMap(entry)).toThrow(/must be/);
  });
});
