import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { parseVersionRef, ZPolicyVersionQuery } from "@/lib/policies/policy-api-schemas";
import { diffVersions, getVersion } from "@/lib/policies/policy-store";

export const dynamic = "force-dynamic";

export const GET = route<"read", { compare?: number | "previous" }, undefined, { name: string; version: string }>({
  auth: "read",
  query: ZPolicyVersionQuery,
  handler: async ({ auth, params, query }) => {
    const db = getDb();
    const version = await getVersion(db, { projectId: auth.projectId, name: params.name, version: parseVersionRef(params.version) });
    if (query.compare === undefined) return version;
    const from = query.compare === "previous" ? Math.max(1, version.version - 1) : query.compare;
    const { diff } = await diffVersions(db, { projectId: auth.projectId, name: params.name, from, to: version.version });
    return { ...version, compare: from, diff };
  },
});
