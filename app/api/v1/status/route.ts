import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { readProjectStatus } from "@/lib/status";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  handler: async ({ auth }) => readProjectStatus(getDb(), auth.projectId, new Date()),
});
