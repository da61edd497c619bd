import { getEnv, type Env } from "../env";
import { parseOutboundAllow, type OutboundPolicy } from "./outbound-policy";

const cache = globalThis as unknown as { argusOutboundPolicy?: { text: string | undefined; policy: OutboundPolicy } };

/** The outbound policy of ARGUS_OUTBOUND_ALLOW (validated at start by lib/env.ts). */
export function outboundPolicy(env: Pick<Env, "ARGUS_OUTBOUND_ALLOW"> = getEnv()): OutboundPolicy {
  const text = env.ARGUS_OUTBOUND_ALLOW;
  const cached = cache.argusOutboundPolicy;
  if (cached && cached.text === text) return cached.policy;
  const policy = parseOutboundAllow(text);
  cache.argusOutboundPolicy = { text, policy };
  return policy;
}
