// Projects for the dashboard: list what the user may open, create (admin), update name, retention and detection settings.
import { z } from "zod";
import { listUserProjects } from "../auth/session";
import type { Db } from "../db";
import { SENSITIVITY_BUDGET } from "../detect/settings";
import { AppError } from "../errors";

export const SENSITIVITIES = ["low", "medium", "high"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** Sensitivity sets the false-alarm budget every threshold follows from (lib/detect/budget.ts). */
export function applySensitivity(settings: Record<string, unknown> | null, sensitivity: Sensitivity): Record<string, unknown> {
  const detection = (settings?.detection as Record<string, unknown> | undefined) ?? {};
  const { alertBits: _legacy, ...rest } = detection;
  return { ...(settings ?? {}), sensitivity, detection: { ...rest, falseAlertsPer10k: SENSITIVITY_BUDGET[sensitivity] } };
}

/** A budget set directly replaces the sensitivity level it would otherwise come from. */
export function applyBudget(settings: Record<string, unknown> | null, falseAlertsPer10k: number): Record<string, unknown> {
  const { sensitivity: _level, ...root } = settings ?? {};
  const detection = (root.detection as Record<string, unknown> | undefined) ?? {};
  const { alertBits: _legacy, ...rest } = detection;
  return { ...root, detection: { ...rest, falseAlertsPer10k } };
}

export const ZProjectCreate = z.object({ name: z.string().trim().min(1, "is required").max(80).regex(/^[\w .-]+$/, "may contain letters, digits, spaces, '.', '_' and '-'") });
export const ZProjectUpdate = z.object({
  name: ZProjectCreate.shape.name.optional(),
  retentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  sensitivity: z.enum(SENSITIVITIES).optional(),
  /** A custom false-alarm budget (alerts per 10,000 normal traces) instead of a sensitivity level. */
  falseAlertsPer10k: z.number().positive().max(1000).optional(),
});

/** GET /api/v1/projects: the projects the caller may open with their role; an API key sees its own project (no role). */
export async function listProjectsFor(db: Db, caller: { projectId: string; user: { id: string; isAdmin: boolean } | null }) {
  const projects = caller.user
    ? await listUserProjects(db, caller.user)
    : (await db.project.findMany({ where: { id: caller.projectId }, select: { id: true, name: true, createdAt: true, retentionDays: true, settings: true } })).map((p) => ({ ...p, role: null }));
  return { activeProjectId: caller.projectId, projects: projects.map((p) => ({ ...p, sensitivity: sensitivityOf(p.settings) })) };
}

/** The sensitivity level a project's settings were last given (null: a custom budget, or never set). */
export function sensitivityOf(settings: unknown): Sensitivity | null {
  const level = settings !== null && typeof settings === "object" ? (settings as { sensitivity?: unknown }).sensitivity : undefined;
  return SENSITIVITIES.find((s) => s === level) ?? null;
}

export async function createProject(db: Db, userId: string, name: string) {
  const project = await db.project.create({ data: { name } });
  await db.membership.create({ data: { userId, projectId: project.id, role: "owner" } });
  return project;
}

export async function updateProject(db: Db, projectId: string, input: z.infer<typeof ZProjectUpdate>) {
  const current = await db.project.findUnique({ where: { id: projectId } });
  if (!current) throw new AppError("not_found", `No project with id ${projectId}`);
  const existing = (current.settings as Record<string, unknown> | null) ?? {};
  const settings = input.falseAlertsPer10k !== undefined ? applyBudget(existing, input.falseAlertsPer10k) : input.sensitivity ? applySensitivity(existing, input.sensitivity) : existing;
  return db.project.update({
    where: { id: projectId },
    data: {
      ...(input.name ? { name: input.name } : {}),
      ...(input.retentionDays !== undefined ? { retentionDays: input.retentionDays } : {}),
      settings: settings as object,
    },
  });
}
