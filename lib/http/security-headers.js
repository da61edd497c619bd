/**
 * Security headers on every response (pages, API, OTLP, static files); see docs/security.md. Plain
 * JavaScript because next.config.js imports it; the node:http OTLP fast path (web-server.ts) sets them too.
 * script-src keeps 'unsafe-inline' because the App Router inlines its RSC payload scripts and nonces
 * would force every page to render dynamically; React escaping is the XSS defence, the CSP limits
 * where scripts, frames and connections may come from. `next dev` also needs 'unsafe-eval'.
 * @param {boolean} [dev]
 * @returns {{ key: string, value: string }[]}
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

