// Request schemas of the anomalies API (runtime-neutral: the dashboard can reuse them).
import { z } from "zod";
import { DETECTORS } from "./settings";

const time = z
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
    since: time.optional(),
    until: time.optional(),
    detector: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
      .refine((list) => list.every((d) => (DETECTORS as readonly string[]).includes(d)), { message: `must be a comma-separated list of ${DETECTORS.join(", ")}` }),
    minScore: z.coerce.number().min(0).max(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: "since must not be after until", path: ["since"] });
export type TAnomalyListQuery = z.infer<typeof ZAnomalyListQuery>;

export const ZAnomalyFeedbackBody = z.object({
  feedback: z.literal("expected", { message: 'feedback must be "expected" (the anomaly is normal behaviour)' }),
});
export type TAnomalyFeedbackBody = z.infer<typeof ZAnomalyFeedbackBody>;
