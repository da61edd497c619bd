// Projects for the dashboard: list what the user may open, create (admin), update name, retention and detection settings.
import { z } from "zod";
import type { Db } from "../db";
import { DEFAULT_ALERT_BITS } from "../detect/settings";
import { AppError } from "../http/errors";

export const SENSITIVITIES = ["low", "medium", "high"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** Sensitivity scales every detector's alert threshold (bits of surprise): high alerts sooner, low later. */
const BITS_FACTOR: Record<Sensitivity, number> = { low: 1.5, medium: 1, high: 0.7 };

export function applySensitivity(settings: Record<string, unknown> | null, sensitivity: Sensitivity): Record<string, unknown> {
  const detection = (settings?.detection as Record<string, unknown> | undefined) ?? {};
  const alertBits = Object.fromEntries(Object.entries(DEFAULT_ALERT_BITS).map(([d, bits]) => [d, Math.round(bits * BITS_FACTOR[sensitivity] * 10) / 10]));
  return { ...(settings ?? {}), sensitivity, detection: { ...detection, alertBits } };
}

export const ZProjectCreate = z.object({ name: z.string().trim().min(1, "is required").max(80).regex(/^[\w .-]+$/, "may contain letters, digits, spaces, '.', '_' and '-'") });
export const ZProjectUpdate = z.object({
  name: ZProjectCreate.shape.name.optional(),
  retentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  sensitivity: z.enum(SENSITIVITIES).optional(),
});

export async function createProject(db: Db, userId: string, name: string) {
  const project = await db.project.create({ data: { name } });
  await db.membership.create({ data: { userId, projectId: project.id, role: "admin" } });
  return project;
}

export async function updateProject(db: Db, projectId: string, input: z.infer<typeof ZProjectUpdate>) {
  const current = await db.project.findUnique({ where: { id: projectId } });
  if (!current) throw new AppError("not_found", `No project with id ${projectId}`);
  const existing = (current.settings as Record<string, unknown> | null) ?? {};
  const settings = input.sensitivity ? applySensitivity(existing, input.sensitivity) : existing;
  return db.project.update({
    where: { id: projectId },
    data: {
      ...(input.name ? { name: input.name } : {}),
      ...(input.retentionDays !== undefined ? { retentionDays: input.retentionDays } : {}),
      settings: settings as object,
    },
  });
}
