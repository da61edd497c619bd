import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/**
 * Security headers on every response (pages, API, OTLP, static files); see docs/security.md.
 * script-src keeps 'unsafe-inline' because the App Router inlines its RSC payload scripts and nonces
 * would force every page to render dynamically; React escaping is the XSS defence, the CSP limits
 * where scripts, frames and connections may come from. `next dev` also needs 'unsafe-eval'.
 */
export function securityHeaders(dev = false) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  return {
    poweredByHeader: false,
    // Keep native drivers out of the bundle; Next externalises most of them already.
    serverExternalPackages: ["better-sqlite3", "pg", "pg-copy-streams", "protobufjs"],
    // Types are checked by `npm run typecheck` (part of `npm test`), not by every build.
    typescript: { ignoreBuildErrors: true },
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
    },
  };
}
