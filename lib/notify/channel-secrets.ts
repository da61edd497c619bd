// Channel URLs and signing secrets are encrypted at rest (lib/crypto/secret-box.ts): sealed when written,
// opened when read by the code that needs them (masking, delivery, env sync).
import { decryptSecret, encryptSecret } from "../crypto/secret-box";

export const URL_CONTEXT = "notification_channels.url";
export const SECRET_CONTEXT = "notification_channels.secret";

export function sealUrl(url: string, key: Buffer): string {
  return encryptSecret(url, key, URL_CONTEXT);
}

export function sealSecret(secret: string | null, key: Buffer): string | null {
  return secret === null ? null : encryptSecret(secret, key, SECRET_CONTEXT);
}

/** The row with its URL and secret in the clear. */
export function openChannel<T extends { url: string; secret: string | null }>(row: T, key: Buffer): T {
  return { ...row, url: decryptSecret(row.url, key, URL_CONTEXT), secret: row.secret === null ? null : decryptSecret(row.secret, key, SECRET_CONTEXT) };
}
