import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZChannelUpdate } from "@/lib/notify/channel-schemas";
import { deleteChannel, updateChannel } from "@/lib/notify/channels";

export const PATCH = route<"manage", undefined, ReturnType<typeof ZChannelUpdate.parse>, { id: string }>({
  auth: "manage",
  body: ZChannelUpdate,
  handler: async ({ auth, params, body }) => updateChannel(getDb(), auth.projectId, params.id, body),
});

export const DELETE = route<"manage", undefined, undefined, { id: string }>({
  auth: "manage",
  handler: async ({ auth, params }) => {
    await deleteChannel(getDb(), auth.projectId, params.id);
    return new Response(null, { status: 204 });
  },
});
