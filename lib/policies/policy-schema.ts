// The policy file format (docs/policies.md): what a YAML policy may say, validated with zod before any
// CEL is compiled. Runtime-neutral: the dashboard may show the same rules.
import { z } from "zod";
import { SEVERITIES } from "../alerts/severity";

export const OUTCOMES = ["allow", "review", "deny", "flag"] as const;
export type RuleOutcome = (typeof OUTCOMES)[number];
/** What an action gets: flag rules are findings and never decide. */
export type Decision = Exclude<RuleOutcome, "flag">;
export const DECISIONS = ["allow", "review", "deny"] as const satisfies readonly Decision[];

/** The fields a rule's `match` selects on; each an exact value or a glob (`*`, `?`). */
export const MATCH_FIELDS = ["agent", "tool", "kind", "model", "service"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/** The risk above which an allow becomes review when a policy does not set `riskThreshold`. */
export const DEFAULT_RISK_THRESHOLD = 0.8;

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const ZPolicyName = z.string().regex(NAME, "must be 1-64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");

const ZPattern = z.string().min(1).max(200);
const ZPatterns = z.union([ZPattern, z.array(ZPattern).min(1).max(50)]);

const ZMatch = z.strictObject(Object.fromEntries(MATCH_FIELDS.map((f) => [f, ZPatterns.optional()])) as Record<MatchField, z.ZodOptional<typeof ZPatterns>>);

export const ZRule = z.strictObject({
  id: z.string().regex(NAME, "must be 1-64 characters: lowercase letters, digits, '.', '_' or '-'"),
  description: z.string().max(2000).optional(),
  match: ZMatch.optional(),
  /** CEL; absent means the match alone decides. */
  condition: z.string().min(1).max(4000).optional(),
  outcome: z.enum(OUTCOMES),
  severity: z.enum(SEVERITIES).default("medium"),
  risk: z.number().min(0).max(1).default(0),
  message: z.string().min(1).max(500).optional(),
});

const ZJsonObject = z.record(z.string(), z.unknown());

/** A proposed action or a span, as a policy sees it (the same shape in examples and, later, decisions). */
export const ZPolicyAction = z.strictObject({
  agent: z.string().optional(),
  tool: z.string().optional(),
  kind: z.string().optional(),
  model: z.string().optional(),
  service: z.string().optional(),
  user: z.string().optional(),
  session: z.string().optional(),
  args: ZJsonObject.optional(),
  attributes: ZJsonObject.optional(),
  /** What the caller may tell about itself; role and sensitivity come from the policy's declarations. */
  context: z.strictObject({ confidence: z.number().min(0).max(1).optional() }).optional(),
});

export const ZExample = z.strictObject({
  name: z.string().min(1).max(200),
  action: ZPolicyAction,
  /** Values of windowed aggregates before this action, e.g. {"count(agent,1d)": 3}; missing ones are 0. */
  aggregates: z.record(z.string(), z.number()).optional(),
  /** The evaluation time (for conditions on `now`); the time of the run when absent. */
  at: z.iso.datetime({ offset: true }).optional(),
  expect: z.enum(DECISIONS),
  /** The exact set of rules (flag rules included) that must match; not checked when absent. */
  matches: z.array(z.string()).optional(),
});

const ZDeclarations = <T extends z.ZodType>(value: T) => z.record(z.string().min(1).max(200), value);

export const ZPolicyDocument = z.strictObject({
  name: ZPolicyName,
  description: z.string().max(2000).optional(),
  /** The decision when no allow, review or deny rule matches. */
  default: z.enum(DECISIONS).default("allow"),
  /** An allow whose combined risk is above this becomes review, even when no rule says review. */
  riskThreshold: z.number().min(0).max(1).default(DEFAULT_RISK_THRESHOLD),
  context: z
    .strictObject({
      /** Agent name or glob → its role, e.g. {"support-*": {role: support}}. */
      agents: ZDeclarations(z.strictObject({ role: z.string().min(1).max(100) })).optional(),
      /** Tool name or glob → the sensitivity of the data it touches, e.g. {lookup_customer: {sensitivity: pii}}. */
      tools: ZDeclarations(z.strictObject({ sensitivity: z.string().min(1).max(100) })).optional(),
    })
    .optional(),
  rules: z.array(ZRule).min(1).max(500),
  examples: z.array(ZExample).max(1000).optional(),
});

export type PolicyDocument = z.infer<typeof ZPolicyDocument>;
export type PolicyRule = z.infer<typeof ZRule>;
export type PolicyAction = z.infer<typeof ZPolicyAction>;
export type PolicyExample = z.infer<typeof ZExample>;
