import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { sendTestMessage } from "@/lib/notify/send-test-message";

export const POST = route<"any", undefined, undefined, { id: string }>({
  auth: "any",
  handler: async ({ auth, params }) => {
    const env = getEnv();
    return sendTestMessage(getDb(), auth.projectId, params.id, { publicUrl: env.publicUrl, timeoutMs: env.ARGUS_DELIVERY_TIMEOUT_MS, now: new Date() });
  },
});
