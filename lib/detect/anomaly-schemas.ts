// Request schemas of the anomalies API (runtime-neutral: the dashboard can reuse them).
import { z } from "zod";
import { SEVERITIES } from "../alerts/severity";
import { DETECTORS } from "./settings";

/** A time in a query string: ISO 8601 or epoch milliseconds. */
export const ZQueryTime = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const d = /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time or epoch milliseconds" });
      return z.NEVER;
    }
    return d;
  });

export const ZAnomalyListQuery = z
  .object({
    since: ZQueryTime.optional(),
    until: ZQueryTime.optional(),
    detector: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
      .refine((list) => list.every((d) => (DETECTORS as readonly string[]).includes(d)), { message: `must be a comma-separated list of ${DETECTORS.join(", ")}` }),
    minScore: z.coerce.number().min(0).max(1).optional(),
    severity: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
      .refine((list) => list.every((s) => (SEVERITIES as readonly string[]).includes(s)), { message: `must be a comma-separated list of ${SEVERITIES.join(", ")}` }),
    /** Substring of the entity ("service/agent/step/model"), e.g. an agent or tool name. */
    entity: z.string().trim().max(200, "must be at most 200 characters").optional(),
    /** "exclude" hides anomalies marked as expected; "only" lists just those. */
    expected: z.enum(["include", "exclude", "only"], { message: 'must be "include", "exclude" or "only"' }).default("include"),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: "since must not be after until", path: ["since"] });
export type TAnomalyListQuery = z.infer<typeof ZAnomalyListQuery>;

export const ZAnomalyFeedbackBody = z.object({
  feedback: z.literal("expected", { message: 'feedback must be "expected" (the anomaly is normal behaviour)' }),
});
export type TAnomalyFeedbackBody = z.infer<typeof ZAnomalyFeedbackBody>;
