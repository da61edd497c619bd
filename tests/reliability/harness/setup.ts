// A migrated database with one project, an API key and (optionally) a webhook channel that hears every alert.
import { createApiKey, ensureProject } from "@/lib/auth/api-keys";
import { createPrismaClient, type Db } from "@/lib/db";
import { parseEnv } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/setup";

export interface Prepared {
  db: Db;
  projectId: string;
  apiKey: string;
}

export async function prepareDatabase(databaseUrl: string, webhookUrl?: string): Promise<Prepared> {
  const target = parseEnv({ DATABASE_URL: databaseUrl });
  await migrateDatabase(target);
  const db = createPrismaClient(target);
  const project = await ensureProject(db, "reliability");
  const { key } = await createApiKey(db, project.id, "reliability", ["ingest"]);
  if (webhookUrl) {
    await db.notificationChannel.create({ data: { projectId: project.id, type: "webhook", name: "receiver", url: webhookUrl, secret: "s3cret", minSeverity: "info" } });
  }
  return { db, projectId: project.id, apiKey: key };
}

/** Figures for reports: load average of the machine now. */
export async function loadAverage(): Promise<string> {
  const { loadavg } = await import("node:os");
  return loadavg().map((n) => n.toFixed(2)).join(" ");
}
