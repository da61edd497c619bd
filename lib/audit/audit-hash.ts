// The audit chain's hashing, pure. An entry's hash is sha256 over the canonical JSON of its chained fields,
// the previous entry's hash included, so editing, removing or reordering an entry breaks every link after
// it. Canonical JSON (RFC 8785 for the values the trail holds): object keys sorted, no whitespace, numbers
// and strings as JSON.stringify writes them. An exported JSONL line is these fields plus `hash`: a SIEM can
// recompute the hash of each line and check each `prevHash` without Argus.
import { createHash } from "node:crypto";
import type { AuditAction, AuditActor } from "./audit-actions";

export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The fields an entry's hash covers. */
export interface ChainedFields {
  seq: number;
  /** ISO time, millisecond precision (what both databases store). */
  at: string;
  actor: AuditActor;
  action: AuditAction | string;
  target: { type: string; id: string } | null;
  projectId: string | null;
  details: JsonValue;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
}

export interface ChainedEntry extends ChainedFields {
  hash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

export function hashEntry(fields: ChainedFields): string {
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}

/** The fields of an entry (an exported line, a stored row read back), without its hash. */
export function chainedFieldsOf(entry: ChainedEntry): ChainedFields {
  const { seq, at, actor, action, target, projectId, details, ip, userAgent, prevHash } = entry;
  return { seq, at, actor, action, target, projectId, details, ip, userAgent, prevHash };
}
