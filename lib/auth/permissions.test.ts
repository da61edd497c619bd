import { describe, expect, it } from "vitest";
import { parseScopes, refusal, roleOf, storedScopes, type Caller, type ProjectAccess, type Scope } from "./permissions";

const key = (...scopes: Scope[]): Caller => ({ kind: "apiKey", scopes });
const user = (role: "viewer" | "member" | "owner"): Caller => ({ kind: "session", role });

describe("refusal: scopes and roles against each kind of access", () => {
  const table: Array<[string, Caller, Record<ProjectAccess, boolean>]> = [
    ["ingest key (the default)", key("ingest"), { ingest: true, read: false, triage: false, manage: false }],
    ["read key", key("read"), { ingest: false, read: true, triage: false, manage: false }],
    ["admin key", key("admin"), { ingest: false, read: false, triage: true, manage: true }],
    ["ingest+read key", key("ingest", "read"), { ingest: true, read: true, triage: false, manage: false }],
    ["all scopes", key("ingest", "read", "admin"), { ingest: true, read: true, triage: true, manage: true }],
    ["key without scopes", key(), { ingest: false, read: false, triage: false, manage: false }],
    ["viewer", user("viewer"), { ingest: false, read: true, triage: false, manage: false }],
    ["member", user("member"), { ingest: false, read: true, triage: true, manage: false }],
    ["owner", user("owner"), { ingest: false, read: true, triage: true, manage: true }],
  ];
  for (const [name, caller, expected] of table) {
    it.each(Object.entries(expected) as Array<[ProjectAccess, boolean]>)(`${name}: %s allowed = %s`, (access, allowed) => {
      expect(refusal(caller, access) === null).toBe(allowed);
    });
  }

  it("says what is missing", () => {
    expect(refusal(key("ingest"), "read")).toMatch(/lacks the 'read' scope \(it has: ingest\)/);
    expect(refusal(user("viewer"), "triage")).toMatch(/\(viewer\) cannot do this; it needs a member or an owner/);
    expect(refusal(user("member"), "manage")).toMatch(/needs an owner/);
  });
});

describe("scopes text", () => {
  it.each([
    ["ingest", ["ingest"]],
    ["read, ingest", ["ingest", "read"]],
    ["admin,read,ingest,read", ["ingest", "read", "admin"]],
  ])("parseScopes(%j)", (text, expected) => expect(parseScopes(text)).toEqual(expected));
  it.each(["", " , ", "write", "read,root"])("parseScopes(%j) is refused", (text) => expect(() => parseScopes(text)).toThrow(/scope/));
  it("storedScopes ignores unknown names", () => expect(storedScopes("ingest,future")).toEqual(["ingest"]));
  it.each([["admin", "owner"], ["owner", "owner"], ["member", "member"], ["viewer", "viewer"], ["bogus", "viewer"], [null, "viewer"]] as const)("roleOf(%s) = %s", (stored, role) => {
    expect(roleOf(stored)).toBe(role);
  });
});
