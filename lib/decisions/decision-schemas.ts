// Request and answer shapes of the decision point (POST /api/v1/decisions, GET /api/v1/decisions/{id}).
import { z } from "zod";
import type { Severity } from "../alerts/severity";
import type { Decision, RuleOutcome } from "../policies/policy-schema";

/** Arguments larger than this (as JSON) are refused: a decision is asked per tool call, not per payload. */
export const MAX_ARGS_JSON_BYTES = 64 * 1024;

const ZName = z.string().min(1).max(200);

export const ZDecisionRequest = z.strictObject({
  agent: ZName,
  tool: ZName,
  /** The tool call's arguments, as the agent is about to send them. */
  args: z
    .record(z.string(), z.unknown())
    .refine((args) => Buffer.byteLength(JSON.stringify(args)) <= MAX_ARGS_JSON_BYTES, `must be at most ${MAX_ARGS_JSON_BYTES / 1024} KiB of JSON`),
  user: ZName.optional(),
  session: ZName.optional(),
  service: ZName.optional(),
  model: ZName.optional(),
  /** What the agent tells about itself; role and data sensitivity come from the policy's declarations. */
  context: z.strictObject({ confidence: z.number().min(0).max(1).optional() }).optional(),
});

export type DecisionRequest = z.infer<typeof ZDecisionRequest>;

export interface DecisionReason {
  /** The policy and rule that gave the reason; null for reasons of the decision point itself ("no policy"). */
  policy: string | null;
  rule: string | null;
  outcome: RuleOutcome;
  severity: Severity;
  message: string;
}

export interface PolicyVersionRef {
  id: string;
  name: string;
  version: number;
}

/** What the decision point answers, and what GET /api/v1/decisions/{id} returns. */
export interface DecisionAnswer {
  id: string;
  decision: Decision;
  risk: number;
  reasons: DecisionReason[];
  flags: DecisionReason[];
  /** "name@version" of every policy evaluated, comma-separated; null when none is applied. */
  policyVersion: string | null;
  createdAt: string;
}
