// Notification channels per project. URLs and secrets are secrets: stored encrypted, answered as a
// masked URL and whether a secret is set, except the one response that creates a webhook secret.
// A URL must reach a public address (lib/net/check-url.ts) unless ARGUS_OUTBOUND_ALLOW names it.
import { randomBytes } from "node:crypto";
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import { instanceKey } from "../crypto/instance-key";
import type { Db } from "../db";
import { AppError } from "../errors";
import { assertOutboundUrl, type Resolve } from "../net/check-url";
import type { OutboundPolicy } from "../net/outbound-policy";
import { outboundPolicy } from "../net/policy-from-env";
import type { TChannelCreate, TChannelUpdate } from "./channel-schemas";
import { openChannel, sealSecret, sealUrl } from "./channel-secrets";

export interface ChannelDeps {
  key: Buffer;
  policy: OutboundPolicy;
  resolve?: Resolve;
}

const defaultDeps = (): ChannelDeps => ({ key: instanceKey().key, policy: outboundPolicy() });

type ChannelRow = Awaited<ReturnType<Db["notificationChannel"]["findFirstOrThrow"]>>;

/** "https://hooks.slack.com/…Xy9z": enough to recognise a URL, not enough to use it. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const tail = (u.pathname + u.search).replace(/\/$/, "");
    return `${u.protocol}//${u.host}/…${tail.slice(-4)}`;
  } catch {
    return "…";
  }
}

export function presentChannel(row: ChannelRow, key: Buffer) {
  const open = openChannel(row, key);
  return {
    id: row.id, type: row.type, name: row.name, url: maskUrl(open.url), hasSecret: Boolean(row.secret), minSeverity: row.minSeverity,
    enabled: row.enabled, source: row.source, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export async function listChannels(db: Db, projectId: string, deps: Pick<ChannelDeps, "key"> = defaultDeps()) {
  const rows = await db.notificationChannel.findMany({ where: { projectId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { channels: rows.map((row) => presentChannel(row, deps.key)) };
}

export async function createChannel(db: Db, projectId: string, input: TChannelCreate, audit: AuditContext = SYSTEM_CONTEXT, deps: ChannelDeps = defaultDeps()) {
  if (input.type === "slack" && input.secret) throw new AppError("bad_request", "Slack channels have no secret; remove the secret field");
  await assertOutboundUrl(input.url, deps.policy, deps.resolve);
  const secret = input.type === "webhook" ? (input.secret ?? generateWebhookSecret()) : null;
  const row = await auditedTransaction(db, async (tx) => {
    const created = await tx.notificationChannel.create({
      data: {
        projectId, type: input.type, name: input.name, url: sealUrl(input.url, deps.key), secret: sealSecret(secret, deps.key),
        minSeverity: input.minSeverity, enabled: input.enabled, source: "user",
      },
    });
    await appendAudit(tx, audit, { action: "channel.create", target: { type: "channel", id: created.id }, projectId, details: { type: created.type, name: created.name, minSeverity: created.minSeverity, enabled: created.enabled } });
    return created;
  });
  // The only time the secret leaves the server: the receiver needs it to verify signatures.
  return { channel: presentChannel(row, deps.key), ...(secret ? { secret } : {}) };
}

async function findChannel(db: Db, projectId: string, id: string): Promise<ChannelRow> {
  const row = await db.notificationChannel.findFirst({ where: { id, projectId } });
  if (!row) throw new AppError("not_found", `No channel with id ${id} in this project`);
  return row;
}

/** What a channel change says in the audit trail: the fields changed, never the URL or secret themselves. */
function changedFields(input: TChannelUpdate): Record<string, unknown> {
  const { url, secret, ...plain } = input;
  return { ...plain, ...(url !== undefined ? { url: "changed" } : {}), ...(secret !== undefined ? { secret: "changed" } : {}) };
}

export async function updateChannel(db: Db, projectId: string, id: string, input: TChannelUpdate, audit: AuditContext = SYSTEM_CONTEXT, deps: ChannelDeps = defaultDeps()) {
  const row = await findChannel(db, projectId, id);
  if (row.source === "env" && (input.url !== undefined || input.secret !== undefined || input.name !== undefined)) {
    throw new AppError("conflict", "This channel comes from the environment (ARGUS_SLACK_WEBHOOK_URL / ARGUS_WEBHOOK_URL); change its URL or secret there. Only enabled and minSeverity can be changed here");
  }
  if (row.type === "slack" && input.secret !== undefined) throw new AppError("bad_request", "Slack channels have no secret; remove the secret field");
  if (input.url !== undefined) await assertOutboundUrl(input.url, deps.policy, deps.resolve);
  const data = {
    ...input,
    ...(input.url !== undefined ? { url: sealUrl(input.url, deps.key) } : {}),
    ...(input.secret !== undefined ? { secret: sealSecret(input.secret, deps.key) } : {}),
  };
  const updated = await auditedTransaction(db, async (tx) => {
    const changed = await tx.notificationChannel.update({ where: { id: row.id }, data });
    await appendAudit(tx, audit, { action: "channel.update", target: { type: "channel", id: row.id }, projectId, details: { name: changed.name, changes: changedFields(input) } });
    return changed;
  });
  return { channel: presentChannel(updated, deps.key) };
}

export async function deleteChannel(db: Db, projectId: string, id: string, audit: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  const row = await findChannel(db, projectId, id);
  if (row.source === "env") {
    throw new AppError("conflict", "This channel comes from the environment; unset ARGUS_SLACK_WEBHOOK_URL / ARGUS_WEBHOOK_URL, or disable it with PATCH {\"enabled\": false}");
  }
  await auditedTransaction(db, async (tx) => {
    await tx.notificationChannel.delete({ where: { id: row.id } });
    await appendAudit(tx, audit, { action: "channel.delete", target: { type: "channel", id: row.id }, projectId, details: { type: row.type, name: row.name } });
  });
}

export { findChannel };

/** The channel with its URL and secret decrypted, for sending. */
export async function findOpenChannel(db: Db, projectId: string, id: string, key: Buffer = instanceKey().key): Promise<ChannelRow> {
  return openChannel(await findChannel(db, projectId, id), key);
}
