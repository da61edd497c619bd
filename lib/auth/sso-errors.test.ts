import { describe, expect, it } from "vitest";
import { SSO_ERRORS, ssoErrorReason, ssoErrorText } from "./sso-errors";

describe("single sign-on errors on the sign-in page", () => {
  it.each([
    { url: "no_access", shown: SSO_ERRORS.no_access },
    { url: "expired", shown: SSO_ERRORS.expired },
    // A crafted link cannot make the page say something of its own (audit: content spoofing).
    { url: "Your account is locked. Call +1 555 0100 to unlock it", shown: SSO_ERRORS.failed },
    { url: "__proto__", shown: SSO_ERRORS.failed },
    { url: "toString", shown: SSO_ERRORS.failed },
    { url: null, shown: null },
    { url: "", shown: null },
  ])("sso_error=$url shows $shown", ({ url, shown }) => {
    expect(ssoErrorText(url)).toBe(shown);
  });

  it.each([
    { message: SSO_ERRORS.no_email, reason: "no_email" },
    { message: SSO_ERRORS.unverified, reason: "unverified" },
    { message: "connect ECONNREFUSED 10.0.0.7:8443", reason: "failed" },
  ])("the callback sends '$reason' for its error", ({ message, reason }) => {
    expect(ssoErrorReason(message)).toBe(reason);
  });
});
