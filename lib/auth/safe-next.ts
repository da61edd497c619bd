// Where to go after signing in. `next` comes from the URL, so anyone can craft it: only a path of this
// site is accepted, judged by parsing it as a browser would (a string test like "starts with / but
// not //" lets "/\\evil.com" and "/\\t/evil.com" through: browsers read both as "//evil.com").
// Runtime-neutral: the sign-in page uses it.

const BASE = "http://argus.invalid";

export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  // Re-serialised from the parsed URL, so what the browser is sent to is exactly what was checked.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
