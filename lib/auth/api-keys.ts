// API keys: "argus_" + 32 random base62 characters. Only sha256(key) and a short prefix are stored.
import { createHash, randomBytes } from "node:crypto";
import { SYSTEM_CONTEXT, type AuditContext } from "../audit/audit-actions";
import { appendAudit, auditedTransaction } from "../audit/audit-store";
import type { Db } from "../db";
import { AppError } from "../errors";
import { storedScopes, type Scope } from "./permissions";

export const DEFAULT_KEY_SCOPES: readonly Scope[] = ["ingest"];

const KEY_PREFIX = "argus_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const VISIBLE_CHARS = KEY_PREFIX.length + 6;

export function generateApiKey(): string {
  const bytes = randomBytes(32);
  let body = "";
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
  return KEY_PREFIX + body;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_CHARS);
}

export async function ensureProject(db: Db, name: string) {
  return db.project.upsert({ where: { name }, update: {}, create: { name } });
}

/**
 * A new key with `scopes`, `ingest` alone unless told otherwise (least privilege, like the CLI, POST
 * /api/v1/keys and the first-start key): a caller that forgets the scopes gets a key that can only send traces.
 */
export async function createApiKey(
  db: Db, projectId: string, name = "default", scopes: readonly Scope[] = DEFAULT_KEY_SCOPES, audit: AuditContext = SYSTEM_CONTEXT,
): Promise<{ id: string; key: string; prefix: string; scopes: Scope[] }> {
  const key = generateApiKey();
  const row = await auditedTransaction(db, async (tx) => {
    const created = await tx.apiKey.create({ data: { projectId, name, prefix: visiblePrefix(key), hash: hashApiKey(key), scopes: scopes.join(",") } });
    await appendAudit(tx, audit, { action: "key.create", target: { type: "apiKey", id: created.id }, projectId, details: { name, prefix: created.prefix, scopes: created.scopes } });
    return created;
  });
  return { id: row.id, key, prefix: row.prefix, scopes: storedScopes(row.scopes) };
}

/** The project's API keys, revoked ones last (prefix and scopes; the key itself is never stored). */
export async function listApiKeys(db: Db, projectId: string) {
  const keys = await db.apiKey.findMany({
    where: { projectId },
    orderBy: [{ revokedAt: "asc" }, { createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return { keys: keys.map((k) => ({ ...k, scopes: k.scopes.split(",").filter(Boolean) })) };
}

export async function revokeApiKey(db: Db, id: string, projectId?: string, audit: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const result = await tx.apiKey.updateMany({
      where: { id, revokedAt: null, ...(projectId ? { projectId } : {}) },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0) throw new AppError("not_found", `No active API key with id ${id}`);
    const key = await tx.apiKey.findUniqueOrThrow({ where: { id }, select: { projectId: true, name: true, prefix: true } });
    await appendAudit(tx, audit, { action: "key.revoke", target: { type: "apiKey", id }, projectId: key.projectId, details: { name: key.name, prefix: key.prefix } });
  });
}

export interface ApiKeyPrincipal {
  kind: "apiKey";
  keyId: string;
  projectId: string;
  scopes: Scope[];
}

const lastUsedWrites = new Map<string, number>();
const LAST_USED_INTERVAL_MS = 60_000;

export interface ApiKeyRow {
  id: string;
  projectId: string;
  scopes: string;
  revokedAt: Date | string | number | null;
}

/** Finds a key by its hash; the default is Prisma, the OTLP hot path passes a raw-driver lookup. */
export type ApiKeyFinder = (hash: string) => Promise<ApiKeyRow | null>;

const prismaFinder = (db: Db): ApiKeyFinder => (hash) =>
  db.apiKey.findUnique({ where: { hash }, select: { id: true, projectId: true, scopes: true, revokedAt: true } });

/** Resolves a presented key to its project. Looks the hash up on every call so a revocation applies at once. */
export async function authenticateApiKey(db: Db, presented: string | null | undefined, find: ApiKeyFinder = prismaFinder(db)): Promise<ApiKeyPrincipal> {
  if (!presented) {
    throw new AppError("unauthorized", "Missing API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
  }
  const row = await find(hashApiKey(presented));
  if (!row) throw new AppError("unauthorized", "Invalid API key; create one with `npm run argus -- keys create --project <name>`");
  if (row.revokedAt !== null) throw new AppError("unauthorized", "This API key was revoked; use an active key");
  const now = Date.now();
  if (now - (lastUsedWrites.get(row.id) ?? 0) > LAST_USED_INTERVAL_MS) {
    lastUsedWrites.set(row.id, now);
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
  }
  return { kind: "apiKey", keyId: row.id, projectId: row.projectId, scopes: storedScopes(row.scopes) };
}

/** Reads the key from `Authorization: Bearer` or `x-api-key`. */
export function presentedApiKey(headers: { get(name: string): string | null }): string | null {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  return headers.get("x-api-key")?.trim() || null;
}
