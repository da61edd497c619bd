import { getDb, getRaw } from "@/lib/db";
import { checkHealth, publicHealth } from "@/lib/health";
import { optionalUser, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** 200 when the database answers, 503 otherwise; details (workers, hosts, errors) for instance admins only. */
export const GET = route({
  auth: "none",
  handler: async ({ req }) => {
    const health = await checkHealth(getDb(), getRaw(), new Date());
    const admin = (await optionalUser(req))?.isAdmin === true;
    return Response.json(admin ? health : publicHealth(health), { status: health.database.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
});
