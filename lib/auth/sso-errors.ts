// Why a single sign-on did not complete, as a fixed set of reasons. The callback redirects to
// /login?sso_error=<reason> and the sign-in page shows the reason's own text: a link cannot make the
// page show text of its choosing.
export const SSO_ERRORS = {
  not_configured: "Single sign-on is not configured",
  unavailable: "The single sign-on provider cannot be reached; try again shortly",
  expired_or_other_browser: "The sign-in took too long or started in another browser; start again",
  invalid_cookie: "The sign-in cookie is not valid; start again",
  expired: "The sign-in took too long; start again",
  unverified: "The single sign-on provider's answer could not be verified; start again",
  no_email: "The single sign-on provider sent no email address; ask for the 'email' scope",
  no_access: "Your single sign-on account grants no access to Argus; ask an administrator",
  email_conflict: "An account with this email exists and the provider did not confirm the address; sign in with your password",
  failed: "Single sign-on did not complete; try again or ask an administrator",
} as const;

export type SsoErrorReason = keyof typeof SSO_ERRORS;

/** The reason whose text is `message`, else "failed". */
export function ssoErrorReason(message: string): SsoErrorReason {
  const found = (Object.keys(SSO_ERRORS) as SsoErrorReason[]).find((reason) => SSO_ERRORS[reason] === message);
  return found ?? "failed";
}

/** The text to show for a reason from the URL (anything unknown reads as the generic failure). */
export function ssoErrorText(reason: string | null): string | null {
  if (!reason) return null;
  return Object.hasOwn(SSO_ERRORS, reason) ? SSO_ERRORS[reason as SsoErrorReason] : SSO_ERRORS.failed;
}
