import { ZAuditListQuery } from "@/lib/audit/audit-schemas";
import { listAuditEntries } from "@/lib/audit/query-audit";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/audit: the audit trail, newest first. Project owners and admin-scope keys see their project's
 * entries; instance admins see every entry, sign-ins included (docs/security.md#audit-trail).
 */
export const GET = route({
  auth: "manage",
  query: ZAuditListQuery,
  handler: async ({ auth, query }) => listAuditEntries(getDb(), { projectId: auth.kind === "session" && auth.isAdmin ? null : auth.projectId, query }),
});
