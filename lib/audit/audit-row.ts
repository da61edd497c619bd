// An audit_entries row read back: as the API shows it (sealed or not) and as a chained entry. Pure.
import type { ChainedEntry, ChainedFields, JsonValue } from "./audit-hash";

/** An audit_entries row as Prisma reads it. */
export interface AuditRow {
  id: string;
  seq: bigint | null;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  projectId: string | null;
  details: string;
  ip: string | null;
  userAgent: string | null;
  prevHash: string | null;
  hash: string | null;
}

/** An entry as the API shows it: sealed or not yet (seq, prevHash and hash null). */
export type AuditEntryView = Omit<ChainedFields, "seq" | "prevHash"> & { id: string; seq: number | null; prevHash: string | null; hash: string | null };

export function viewOf(row: AuditRow): AuditEntryView {
  let details: JsonValue;
  try {
    details = JSON.parse(row.details) as JsonValue;
  } catch {
    // Text that is no longer JSON (edited by hand) stays text, and then fails its hash.
    details = row.details;
  }
  return {
    id: row.id, seq: row.seq === null ? null : Number(row.seq), at: row.at.toISOString(),
    actor: { type: row.actorType as ChainedFields["actor"]["type"], id: row.actorId, name: row.actorName }, action: row.action,
    target: row.targetType !== null && row.targetId !== null ? { type: row.targetType, id: row.targetId } : null,
    projectId: row.projectId, details, ip: row.ip, userAgent: row.userAgent, prevHash: row.prevHash, hash: row.hash,
  };
}

/** A sealed row as a chained entry (what verification and export read). */
export function entryOf(row: AuditRow): ChainedEntry {
  const { id: _id, ...view } = viewOf(row);
  return { ...view, seq: view.seq ?? 0, prevHash: view.prevHash ?? "", hash: view.hash ?? "" };
}

