import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { jsonResponse, route } from "@/lib/http/route";
import { ZChannelCreate } from "@/lib/notify/channel-schemas";
import { createChannel, listChannels } from "@/lib/notify/channels";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "read",
  handler: async ({ auth }) => listChannels(getDb(), auth.projectId),
});

export const POST = route({
  auth: "manage",
  body: ZChannelCreate,
  handler: async ({ req, auth, body }) => {
    const db = getDb();
    return jsonResponse(await createChannel(db, auth.projectId, body, await auditContextOf(db, req, auth)), { status: 201 });
  },
});
