// Secrets at rest (channel URLs and webhook signing secrets): AES-256-GCM under the instance key.
// Stored form: "enc:v1:" + base64url(iv 12 bytes | tag 16 bytes | ciphertext). The column the value
// belongs to is authenticated as associated data, so a ciphertext copied into another column (a
// secret into a URL) does not decrypt. A value without the prefix is legacy plaintext: it is read as
// is and re-encrypted at the next start (reencrypt-secrets.ts).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export const ENCRYPTED_PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

/** A 32-byte key from base64 (or base64url) or 64 hex characters. */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new SecretKeyError("must be 32 bytes, as base64 (openssl rand -base64 32) or 64 hex characters");
  return key;
}

export function generateSecretKey(): string {
  return randomBytes(32).toString("base64");
}

/** Identifies a key without revealing it: stored in the database so every process can check it has the same key. */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update("argus-secret-key-fingerprint:v1").update(key).digest("hex").slice(0, 16);
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(ENCRYPTED_PREFIX);
}

export function encryptSecret(plaintext: string, key: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/** Decrypts a stored value; a value without the prefix is legacy plaintext and comes back unchanged. */
export function decryptSecret(stored: string, key: Buffer, context: string): string {
  if (!isEncrypted(stored)) return stored;
  const raw = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretKeyError(`a stored ${context} value is damaged`);
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError(`a stored ${context} value does not decrypt with this key (another ARGUS_ENCRYPTION_KEY?)`);
  }
}
