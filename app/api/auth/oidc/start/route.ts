import { startSignIn } from "@/lib/auth/oidc";
import { instanceKey } from "@/lib/crypto/instance-key";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/auth/oidc/start?next=/path: redirects to the single sign-on provider (404 when none is configured). */
export const GET = route({
  auth: "none",
  handler: async ({ req }) => {
    const { location, cookie } = await startSignIn(req, getEnv(), instanceKey().key, Date.now());
    return new Response(null, { status: 302, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
  },
});
