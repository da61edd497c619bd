// Query schemas of the alerts API, shared by the routes and the dashboard.
import { z } from "zod";
import { ZTimeRangeQuery } from "../queries/time-range";
import { SEVERITIES } from "./severity";

const STATUSES = ["open", "acknowledged", "resolved"] as const;

function csvOf<T extends string>(values: readonly T[], what: string) {
  return z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
    .refine((list) => list.every((s) => (values as readonly string[]).includes(s)), { message: `${what} must be a comma-separated list of ${values.join(", ")}` })
    .transform((list) => list as T[]);
}

/** With `range` or `from`/`to`: only alerts with a signal whose behaviour happened in that range. */
export const ZAlertListQuery = ZTimeRangeQuery.extend({
  status: csvOf(STATUSES, "status"),
  severity: csvOf(SEVERITIES, "severity"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAlertListQuery = z.infer<typeof ZAlertListQuery>;
