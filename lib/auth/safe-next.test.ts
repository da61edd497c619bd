import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath (issue 17 finding 6: /login?next= led to a foreign host)", () => {
  // `next` as URLSearchParams.get() returns it, i.e. already percent-decoded once.
  const param = (raw: string) => new URLSearchParams(`next=${raw}`).get("next");
  it.each([
    ["/%5C<host> (a backslash: browsers read /\\ as //)", param("/%5Cevil.example/x"), "/"],
    ["/%09/<host> (a tab is stripped: /\\t/ becomes //)", param("/%09/evil.example/x"), "/"],
    ["/%0a/<host> (a newline is stripped too)", param("/%0a/evil.example/x"), "/"],
    ["//<host>", param("//evil.example/x"), "/"],
    ["/\\\\<host>", "/\\\\evil.example", "/"],
    ["https://<host>", param("https://evil.example/"), "/"],
    ["javascript:", param("javascript:alert(1)"), "/"],
    ["a relative path", param("traces"), "/"],
    ["empty", "", "/"],
    ["absent", null, "/"],
    ["/%2F<host> (stays a path: encoded slash)", param("/%252Fevil.example"), "/%2Fevil.example"],
  ])("refuses %s", (_name, next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    ["/", "/"],
    ["/traces?agent=x&range=1h", "/traces?agent=x&range=1h"],
    ["/alerts/abc#deliveries", "/alerts/abc#deliveries"],
    ["/traces/../settings", "/settings"],
  ])("keeps the same-site path %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});
