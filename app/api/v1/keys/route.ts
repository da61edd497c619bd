import { z } from "zod";
import { createApiKey } from "@/lib/auth/api-keys";
import { requireSession } from "@/lib/auth/require-session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** GET /api/v1/keys: the active project's API keys (prefix only; the key itself is never stored). */
export const GET = route({
  auth: "any",
  handler: async ({ auth }) => {
    const session = requireSession(auth);
    const keys = await getDb().apiKey.findMany({
      where: { projectId: session.projectId },
      orderBy: [{ revokedAt: "asc" }, { createdAt: "desc" }],
      select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    });
    return { keys };
  },
});

/** POST /api/v1/keys {name}: creates a key; the response is the only time the full key is shown. */
export const POST = route({
  auth: "any",
  body: z.object({ name: z.string().trim().min(1, "is required").max(80) }),
  handler: async ({ auth, body }) => {
    const session = requireSession(auth);
    return Response.json(await createApiKey(getDb(), session.projectId, body.name), { status: 201 });
  },
});
