import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { ZChannelUpdate } from "@/lib/notify/channel-schemas";
import { deleteChannel, updateChannel } from "@/lib/notify/channels";

export const PATCH = route<"any", undefined, ReturnType<typeof ZChannelUpdate.parse>, { id: string }>({
  auth: "any",
  body: ZChannelUpdate,
  handler: async ({ auth, params, body }) => updateChannel(getDb(), auth.projectId, params.id, body),
});

export const DELETE = route<"any", undefined, undefined, { id: string }>({
  auth: "any",
  handler: async ({ auth, params }) => {
    await deleteChannel(getDb(), auth.projectId, params.id);
    return new Response(null, { status: 204 });
  },
});
