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
  handler: async ({ auth, body }) => jsonResponse(await createChannel(getDb(), auth.projectId, body), { status: 201 }),
});
