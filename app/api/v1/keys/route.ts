import { z } from "zod";
import { auditContextOf } from "@/lib/audit/audit-context";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { SCOPES } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/keys: the active project's API keys (prefix and scopes; the key itself is never stored). */
export const GET = route({
  auth: "manage",
  handler: async ({ auth }) => listApiKeys(getDb(), auth.projectId),
});

export const ZKeyCreate = z.object({
  name: z.string().trim().min(1, "is required").max(80),
  /** ingest (send traces) by default: a key that leaks from an exporter can then read and change nothing. */
  scopes: z.array(z.enum(SCOPES)).min(1, "needs at least one scope").default(["ingest"]),
}).strict();

/** POST /api/v1/keys {name, scopes?}: creates a key; the response is the only time the full key is shown. */
export const POST = route({
  auth: "manage",
  body: ZKeyCreate,
  handler: async ({ req, auth, body }) => {
    const db = getDb();
    return Response.json(await createApiKey(db, auth.projectId, body.name, [...new Set(body.scopes)], await auditContextOf(db, req, auth)), { status: 201 });
  },
});
