import { getDb } from "@/lib/db";
import { getDecision } from "@/lib/decisions/decision-store";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<"read", undefined, undefined, { id: string }>({
  auth: "read",
  handler: async ({ auth, params }) => getDecision(getDb(), { projectId: auth.projectId, id: params.id }),
});
