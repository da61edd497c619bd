// Channel secrets written before encryption existed (or by a restore of an old backup) are plaintext:
// encrypted at start. Key rotation re-encrypts everything from the previous key to the new one.
import type { Db } from "../db";
import { AppError } from "../errors";
import { openChannel, sealSecret, sealUrl } from "../notify/channel-secrets";
import { FINGERPRINT_SETTING, type InstanceKey } from "./instance-key";
import { isEncrypted } from "./secret-box";

/** Encrypts every plaintext channel URL and secret; returns how many rows changed. */
export async function encryptPlaintextSecrets(db: Db, key: Buffer): Promise<number> {
  const rows = await db.notificationChannel.findMany({ select: { id: true, url: true, secret: true } });
  let changed = 0;
  for (const row of rows) {
    const plainUrl = !isEncrypted(row.url);
    const plainSecret = row.secret !== null && !isEncrypted(row.secret);
    if (!plainUrl && !plainSecret) continue;
    // Conditional on the values read, so a concurrent edit is not overwritten with the old value.
    const { count } = await db.notificationChannel.updateMany({
      where: { id: row.id, url: row.url, secret: row.secret },
      data: { ...(plainUrl ? { url: sealUrl(row.url, key) } : {}), ...(plainSecret ? { secret: sealSecret(row.secret, key) } : {}) },
    });
    changed += count;
  }
  return changed;
}

/**
 * Re-encrypts every channel secret from `previous` to `next` and records the new key's fingerprint, in
 * one transaction. Run with every Argus process stopped (docs/security.md#encryption-key-rotation).
 */
export async function rotateSecrets(db: Db, previous: InstanceKey, next: InstanceKey): Promise<{ rotated: number }> {
  return db.$transaction(async (tx) => {
    const stored = await tx.instanceSetting.findUnique({ where: { key: FINGERPRINT_SETTING } });
    if (stored?.value === next.fingerprint) return { rotated: 0 };
    if (stored && stored.value !== previous.fingerprint) {
      throw new AppError("conflict", `ARGUS_PREVIOUS_ENCRYPTION_KEY (fingerprint ${previous.fingerprint}) is not the key in use (fingerprint ${stored.value})`);
    }
    const rows = await tx.notificationChannel.findMany({ select: { id: true, url: true, secret: true } });
    for (const row of rows) {
      const open = openChannel(row, previous.key);
      await tx.notificationChannel.update({ where: { id: row.id }, data: { url: sealUrl(open.url, next.key), secret: sealSecret(open.secret, next.key) } });
    }
    await tx.instanceSetting.upsert({ where: { key: FINGERPRINT_SETTING }, create: { key: FINGERPRINT_SETTING, value: next.fingerprint }, update: { value: next.fingerprint } });
    return { rotated: rows.length };
  });
}
