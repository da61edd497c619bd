// Request shapes of the policies API (app/api/v1/policies).
import { z } from "zod";
import { AppError } from "../errors";

export const ZPolicyApply = z.strictObject({
  /** The YAML text of the policy file, as in the repository. */
  source: z.string().min(1).max(512 * 1024),
});


const ZVersionNumber = z.coerce.number().int().min(1).max(1_000_000_000);
export const ZVersionRef = z.union([z.literal("latest"), ZVersionNumber]);

export const ZPolicyVersionQuery = z.object({
  /** (Not strict: sessions also send ?project=.) Add the unified diff from this version (or the one before) to the one asked for. */
  compare: z.union([z.literal("previous"), ZVersionNumber]).optional(),
});

/** A version in a path: "latest" or a number. */
export function parseVersionRef(text: string): number | "latest" {
  const parsed = ZVersionRef.safeParse(text);
  if (!parsed.success) throw new AppError("bad_request", `Invalid version '${text.slice(0, 20)}': use a version number or 'latest'`);
  return parsed.data;
}
