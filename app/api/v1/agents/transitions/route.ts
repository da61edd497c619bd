import { z } from "zod";
import { getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { agentTransitions } from "@/lib/queries/agents";

export const dynamic = "force-dynamic";

/** GET /api/v1/agents/transitions?agent=: the agent's decision-chain transition table over recent traces. */
export const GET = route({
  auth: "read",
  query: z.object({ agent: z.string().min(1), traces: z.coerce.number().int().min(10).max(2000).default(300) }),
  handler: async ({ query, auth }) => agentTransitions(getRaw(), auth.projectId, query.agent, query.traces),
});
