// Values crossing the SQL boundary: how times are stored, ids, the row normalisation both executors
// apply, and chunking of long parameter lists. Pure.
import { randomBytes } from "node:crypto";

export type Dialect = "sqlite" | "postgresql";
export type Row = Record<string, unknown>;

/** DateTime as Prisma stores it: ISO text with "+00:00" on SQLite, UTC timestamp(3) text on PostgreSQL. */
export function dbTime(dialect: Dialect, d: Date): string {
  const iso = d.toISOString();
  return dialect === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1);
}

/** A DateTime column as read: a Date (PostgreSQL) or stored text (SQLite; UTC when it names no zone). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
}

let counter = 0;
/** Collision-resistant, roughly time-ordered id (same alphabet and length class as cuid). */
export function newId(nowMs: number): string {
  counter = (counter + 1) % 1679616;
  return `c${nowMs.toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}

/** bigint → number when exact, else its decimal string (ns timestamps stay exact). */
export function normalizeValue(value: unknown): unknown {
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}

export function normalizeRow(row: Row): Row {
  for (const key in row) if (typeof row[key] === "bigint") row[key] = normalizeValue(row[key]);
  return row;
}

export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || typeof value === "string") return Number(value);
  return 0;
}

export const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** JSON columns: PostgreSQL returns objects, SQLite returns text (unparseable text reads as null). */
export function parseJsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

/**
 * How many values of a list one statement binds. SQLite binds every element as its own parameter (and
 * caps their number); PostgreSQL binds the list as one array parameter.
 */
export const listChunkSize = (dialect: Dialect): number => (dialect === "sqlite" ? 400 : 5000);

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
