import { z } from "zod";
import { getDb, getRaw } from "@/lib/db";
import { route } from "@/lib/http/route";
import { describeStep } from "@/lib/queries/agents";

export const dynamic = "force-dynamic";

/** GET /api/v1/agents/steps?agent=&step=&metric=latency|inputTokens|outputTokens|cost: distribution and baselines of one step. */
export const GET = route({
  auth: "read",
  query: z.object({ agent: z.string().min(1), step: z.string().min(1), metric: z.enum(["latency", "inputTokens", "outputTokens", "cost"]).default("latency") }),
  handler: async ({ query, auth }) => describeStep(getDb(), getRaw(), auth.projectId, query.agent, query.step, query.metric),
});
