import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { retryDelivery } from "@/lib/notify/retry-delivery";

export const POST = route<"triage", undefined, undefined, { id: string }>({
  auth: "triage",
  handler: async ({ auth, params }) => ({ delivery: await retryDelivery(getDb(), auth.projectId, params.id, new Date()) }),
});
