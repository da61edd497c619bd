import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";
import { securityHeaders } from "./lib/http/security-headers.js";

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
