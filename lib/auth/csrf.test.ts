import { describe, expect, it } from "vitest";
import { csrfViolation, type CsrfInput } from "./csrf";

const base: CsrfInput = { method: "POST", headerToken: "tok", sessionToken: "tok", origin: "http://argus.local:3000", host: "argus.local:3000" };

describe("csrfViolation", () => {
  it.each<[string, Partial<CsrfInput>, RegExp | null]>([
    ["GET needs no token", { method: "GET", headerToken: null }, null],
    ["HEAD needs no token", { method: "HEAD", headerToken: null }, null],
    ["POST with matching token and same origin", {}, null],
    ["POST without Origin header but with token", { origin: null }, null],
    ["POST without token", { headerToken: null }, /Missing x-csrf-token/],
    ["POST with wrong token", { headerToken: "other" }, /Invalid x-csrf-token/],
    ["POST with token of another length", { headerToken: "tokentoken" }, /Invalid/],
    ["POST from another origin", { origin: "https://evil.example" }, /Cross-origin/],
    ["DELETE from another origin even with the token", { method: "DELETE", origin: "http://evil:3000" }, /Cross-origin/],
    ["garbage Origin", { origin: "not a url" }, /not a URL/],
  ])("%s", (_name, patch, expected) => {
    const result = csrfViolation({ ...base, ...patch });
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });
});
