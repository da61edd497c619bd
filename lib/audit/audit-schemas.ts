// Request schema of GET /api/v1/audit (runtime-neutral: the dashboard can reuse it).
import { z } from "zod";
import { ZQueryTime } from "../detect/anomaly-schemas";
import { AUDIT_ACTIONS } from "./audit-actions";

const ACTION_GROUPS = [...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0]!))];

export const ZAuditListQuery = z
  .object({
    /** One action ("key.create") or a group ("key.*"). */
    action: z
      .string()
      .trim()
      .refine((v) => (AUDIT_ACTIONS as readonly string[]).includes(v) || ACTION_GROUPS.some((g) => v === `${g}.*`), {
        message: `must be an action (${AUDIT_ACTIONS.join(", ")}) or a group (${ACTION_GROUPS.map((g) => `${g}.*`).join(", ")})`,
      })
      .optional(),
    /** The actor's id (user or key id) or name (email, key name and prefix, "cli <user>"), exactly. */
    actor: z.string().trim().min(1).max(320, "must be at most 320 characters").optional(),
    since: ZQueryTime.optional(),
    until: ZQueryTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .strict()
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: "since must not be after until", path: ["since"] });

export type TAuditListQuery = z.infer<typeof ZAuditListQuery>;
