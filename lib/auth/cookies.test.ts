import { describe, expect, it } from "vitest";
import { isSecureRequest, parseCookies, serializeCookie } from "./cookies";

describe("cookies", () => {
  it.each([
    ["empty", null, {}],
    ["several", "a=1; b=two", { a: "1", b: "two" }],
    ["encoded value", "n=hello%20world", { n: "hello world" }],
    ["first wins on duplicates", "a=1; a=2", { a: "1" }],
    ["ignores malformed parts", "junk; a=1; b=%E0%A4%A", { a: "1" }],
  ])("parseCookies: %s", (_n, header, expected) => expect(parseCookies(header)).toEqual(expected));

  it("serializes a session cookie as httpOnly, SameSite=Lax, Secure on HTTPS", () => {
    const c = serializeCookie("argus_session", "tok", { httpOnly: true, secure: true, expires: new Date(0) });
    expect(c).toBe("argus_session=tok; Path=/; SameSite=Lax; HttpOnly; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  });

  it.each([
    ["plain http", "http://h/", {}, false],
    ["https", "https://h/", {}, true],
    ["behind a TLS proxy", "http://h/", { "x-forwarded-proto": "https" }, true],
    ["proxy says http", "https://h/", { "x-forwarded-proto": "http" }, false],
  ])("isSecureRequest: %s", (_n, url, headers, expected) => expect(isSecureRequest(new Request(url, { headers }))).toBe(expected));
});
