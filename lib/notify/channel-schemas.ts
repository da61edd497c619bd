// Request schemas of the channels API, shared by the routes and the dashboard forms.
import { z } from "zod";
import { SEVERITIES } from "../alerts/severity";

const url = z.url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://hooks.slack.com/services/…" }).max(2000);
const secret = z.string().min(16, "must be at least 16 characters").max(200);

export const ZChannelCreate = z.object({
  type: z.enum(["slack", "webhook"]),
  name: z.string().trim().min(1).max(100),
  url,
  /** Webhooks only; generated when omitted and shown once in the response. */
  secret: secret.optional(),
  minSeverity: z.enum(SEVERITIES).default("medium"),
  enabled: z.boolean().default(true),
}).strict();
export type TChannelCreate = z.infer<typeof ZChannelCreate>;

export const ZChannelUpdate = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  url: url.optional(),
  secret: secret.optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  enabled: z.boolean().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, { message: "send at least one of name, url, secret, minSeverity, enabled" });
export type TChannelUpdate = z.infer<typeof ZChannelUpdate>;
