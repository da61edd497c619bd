// Credentials inside URLs ("https://user:password@host/…") must not reach logs, stored errors or answers.

// The userinfo runs to the LAST "@" before the path, query or fragment: a password may hold an
// unencoded "@" ("https://u:p@ss@host/x"), and stopping at the first one would leave "ss@" behind.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** Replaces the user:password part of every URL in `text` with "[redacted]". */
export function redactUrlCredentials(text: string): string {
  return text.replace(USERINFO, "$1[redacted]@");
}
