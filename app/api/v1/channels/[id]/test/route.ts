import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { outboundPolicy } from "@/lib/net/policy-from-env";
import { sendTestMessage } from "@/lib/notify/send-test-message";

export const POST = route<"manage", undefined, undefined, { id: string }>({
  auth: "manage",
  handler: async ({ auth, params }) => {
    const env = getEnv();
    return sendTestMessage(getDb(), auth.projectId, params.id, { publicUrl: env.publicUrl, timeoutMs: env.ARGUS_DELIVERY_TIMEOUT_MS, policy: outboundPolicy(env), now: new Date() });
  },
});
