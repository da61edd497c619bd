// Pages need a session cookie; without one the browser goes to /login. The JSON API checks sessions
// and keys itself (lib/http/route.ts), so /api and the OTLP endpoint are not matched here.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest) {
  if (request.cookies.get("argus_session")?.value) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/login";
  url.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api/|v1/|_next/|login|setup|invite/|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
