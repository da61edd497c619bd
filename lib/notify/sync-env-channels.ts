// Operators configure channels from the environment; they become NotificationChannel rows with
// source "env" in every project, so the outbox treats them like any other channel.
import { instanceKey } from "../crypto/instance-key";
import type { Db } from "../db";
import type { Env } from "../env";
import { openChannel, sealSecret, sealUrl } from "./channel-secrets";

type ChannelEnv = Pick<Env, "ARGUS_SLACK_WEBHOOK_URL" | "ARGUS_WEBHOOK_URL" | "ARGUS_WEBHOOK_SECRET">;

export function envChannelSpecs(env: ChannelEnv): Array<{ type: "slack" | "webhook"; name: string; url: string | undefined; secret: string | null }> {
  return [
    { type: "slack", name: "Slack (ARGUS_SLACK_WEBHOOK_URL)", url: env.ARGUS_SLACK_WEBHOOK_URL, secret: null },
    { type: "webhook", name: "Webhook (ARGUS_WEBHOOK_URL)", url: env.ARGUS_WEBHOOK_URL, secret: env.ARGUS_WEBHOOK_SECRET ?? null },
  ];
}

/**
 * Creates or updates the env channels of every project. An unset variable disables its rows rather
 * than deleting them, so their delivery history stays. minSeverity and enabled set by users are kept.
 */
export async function syncEnvChannels(db: Db, env: ChannelEnv, key: Buffer = instanceKey().key): Promise<{ created: number; updated: number }> {
  const projects = await db.project.findMany({ select: { id: true } });
  // Compared in the clear: each encryption of the same value differs.
  const existing = (await db.notificationChannel.findMany({ where: { source: "env" } })).map((row) => openChannel(row, key));
  let created = 0;
  let updated = 0;
  for (const spec of envChannelSpecs(env)) {
    for (const project of projects) {
      const row = existing.find((c) => c.projectId === project.id && c.type === spec.type);
      if (!spec.url) {
        if (row?.enabled) {
          await db.notificationChannel.update({ where: { id: row.id }, data: { enabled: false } });
          updated++;
        }
        continue;
      }
      if (!row) {
        await db.notificationChannel.create({
          data: { projectId: project.id, type: spec.type, name: spec.name, url: sealUrl(spec.url, key), secret: sealSecret(spec.secret, key), source: "env" },
        });
        created++;
      } else if (row.url !== spec.url || row.secret !== spec.secret) {
        // A changed URL means the operator fixed or replaced it: turn the channel (back) on.
        await db.notificationChannel.update({ where: { id: row.id }, data: { url: sealUrl(spec.url, key), secret: sealSecret(spec.secret, key), enabled: true } });
        updated++;
      }
    }
  }
  return { created, updated };
}
