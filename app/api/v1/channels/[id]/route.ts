import { auditContextOf } from "@/lib/audit/audit-context";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZChannelUpdate } from "@/lib/notify/channel-schemas";
import { deleteChannel, updateChannel } from "@/lib/notify/channels";

export const PATCH = route<"manage", undefined, ReturnType<typeof ZChannelUpdate.parse>, { id: string }>({
  auth: "manage",
  body: ZChannelUpdate,
  handler: async ({ req, auth, params, body }) => {
    const db = getDb();
    return updateChannel(db, auth.projectId, params.id, body, await auditContextOf(db, req, auth));
  },
});

export const DELETE = route<"manage", undefined, undefined, { id: string }>({
  auth: "manage",
  handler: async ({ req, auth, params }) => {
    const db = getDb();
    await deleteChannel(db, auth.projectId, params.id, await auditContextOf(db, req, auth));
    return new Response(null, { status: 204 });
  },
});
