// The instance's secret key: ARGUS_ENCRYPTION_KEY, or for the embedded setup a key file generated in
// the data directory (0600). Web and workers may run in separate containers with no shared volume:
// a key generated per container would encrypt with one key and decrypt with another. So the key's
// fingerprint is stored in the database by the first process and every process checks it at start,
// refusing to run with a different key instead of failing at the first delivery.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db";
import { ensurePrivateDir } from "../db/open";
import { ConfigError, getEnv, type Env } from "../env";
import { generateSecretKey, keyFingerprint, parseSecretKey } from "./secret-box";

export const KEY_FILE_NAME = "encryption.key";
export const FINGERPRINT_SETTING = "encryption_key_fingerprint";

export interface InstanceKey {
  key: Buffer;
  fingerprint: string;
  /** Where it came from, for messages. */
  source: string;
}

type KeyEnv = Pick<Env, "ARGUS_ENCRYPTION_KEY" | "ARGUS_DATA_DIR">;

/** Reads the key (generating the key file on first use when no ARGUS_ENCRYPTION_KEY is set). */
export function loadInstanceKey(env: KeyEnv): InstanceKey {
  if (env.ARGUS_ENCRYPTION_KEY) {
    const key = parseSecretKey(env.ARGUS_ENCRYPTION_KEY);
    return { key, fingerprint: keyFingerprint(key), source: "ARGUS_ENCRYPTION_KEY" };
  }
  const file = path.join(env.ARGUS_DATA_DIR, KEY_FILE_NAME);
  ensurePrivateDir(env.ARGUS_DATA_DIR);
  try {
    writeFileSync(file, `${generateSecretKey()}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError(`Cannot create the key file ${file}: ${(error as Error).message}`);
  }
  try {
    const key = parseSecretKey(readFileSync(file, "utf8"));
    return { key, fingerprint: keyFingerprint(key), source: file };
  } catch (error) {
    throw new ConfigError(`The key file ${file} is unreadable or damaged (${(error as Error).message}); restore it from a backup or set ARGUS_ENCRYPTION_KEY`);
  }
}

const cache = globalThis as unknown as { argusInstanceKey?: InstanceKey };

export function instanceKey(): InstanceKey {
  cache.argusInstanceKey ??= loadInstanceKey(getEnv());
  return cache.argusInstanceKey;
}

/** For tests that change the environment. */
export function resetInstanceKey(): void {
  cache.argusInstanceKey = undefined;
}

/**
 * Records the key's fingerprint on first start and refuses a different key afterwards. Every process
 * (supervisor, web, workers, CLI) calls it before touching secrets.
 */
export async function checkKeyFingerprint(db: Db, key: InstanceKey): Promise<void> {
  let stored = await db.instanceSetting.findUnique({ where: { key: FINGERPRINT_SETTING } });
  if (!stored) {
    try {
      stored = await db.instanceSetting.create({ data: { key: FINGERPRINT_SETTING, value: key.fingerprint } });
    } catch {
      // Another process recorded it at the same moment.
      stored = await db.instanceSetting.findUniqueOrThrow({ where: { key: FINGERPRINT_SETTING } });
    }
  }
  if (stored.value !== key.fingerprint) {
    throw new ConfigError(
      `The encryption key (${key.source}, fingerprint ${key.fingerprint}) is not the key this database's secrets are encrypted with (fingerprint ${stored.value}). ` +
        "Every process (web and workers) must use the same ARGUS_ENCRYPTION_KEY; to change the key, see docs/security.md#encryption-key-rotation",
    );
  }
}

/** Start of every process: the key, checked against the database's fingerprint; the supervisor also encrypts legacy plaintext. */
export async function prepareInstanceKey(db: Db, env: KeyEnv, options: { encryptPlaintext?: (db: Db, key: Buffer) => Promise<number> } = {}): Promise<{ key: InstanceKey; encrypted: number }> {
  const key = loadInstanceKey(env);
  await checkKeyFingerprint(db, key);
  cache.argusInstanceKey = key;
  const encrypted = options.encryptPlaintext ? await options.encryptPlaintext(db, key.key) : 0;
  return { key, encrypted };
}
