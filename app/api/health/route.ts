import { getDb, getRaw } from "@/lib/db";
import { checkHealth } from "@/lib/health";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "none",
  handler: async () => {
    const health = await checkHealth(getDb(), getRaw(), new Date());
    return Response.json(health, { status: health.database.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
});
