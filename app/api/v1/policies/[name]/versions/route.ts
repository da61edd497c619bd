import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listVersions } from "@/lib/policies/policy-store";

export const dynamic = "force-dynamic";

export const GET = route<"read", undefined, undefined, { name: string }>({
  auth: "read",
  handler: async ({ auth, params }) => listVersions(getDb(), auth.projectId, params.name),
});
