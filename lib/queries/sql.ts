// A tiny dual-dialect SQL helper for read models: placeholders for SQLite (?) or PostgreSQL ($n),
// and one row normalisation (bigint → number when safe, else string: ns timestamps stay exact).
import type { RawDb } from "../db";

export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly provider: RawDb["provider"]) {}
  /** Adds a value and returns its placeholder. */
  p(value: unknown): string {
    this.values.push(this.provider === "postgresql" && typeof value === "bigint" ? value.toString() : value);
    return this.provider === "postgresql" ? `$${this.values.length}` : "?";
  }
  /** Case-insensitive LIKE in both dialects (SQLite LIKE is already case-insensitive for ASCII). */
  get ilike(): string {
    return this.provider === "postgresql" ? "ILIKE" : "LIKE";
  }
}

export type Row = Record<string, unknown>;

export function normalizeValue(value: unknown): unknown {
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}

function normalizeRow(row: Row): Row {
  const out: Row = {};
  for (const key in row) out[key] = normalizeValue(row[key]);
  return out;
}

export async function queryRows<T = Row>(raw: RawDb, text: string, values: unknown[]): Promise<T[]> {
  if (raw.provider === "sqlite") {
    const rows = raw.sqlite.prepare(text).safeIntegers(true).all(...values) as Row[];
    return rows.map(normalizeRow) as T[];
  }
  const result = await raw.pool.query(text, values);
  return (result.rows as Row[]).map(normalizeRow) as T[];
}

/**
 * Rows as arrays of column values in select-list order, as the drivers return them, without normalisation:
 * SQLite integers as JS numbers (exact only below 2^53: cast larger ones, e.g. ns timestamps, to TEXT in the
 * query), PostgreSQL int8 as bigint (the raw pools' parser). For pages of thousands of rows: arrays cost
 * about half as much to build as objects, and no BigInt is made per SQLite value.
 */
export async function queryDriverArrays(raw: RawDb, text: string, values: unknown[]): Promise<unknown[][]> {
  if (raw.provider === "sqlite") return raw.sqlite.prepare(text).raw(true).all(...values) as unknown[][];
  return (await raw.pool.query<unknown[]>({ text, values, rowMode: "array" })).rows;
}

export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return Number(value);
  return 0;
}

/** JSON columns: PostgreSQL returns objects, SQLite returns text. */
export function parseJsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as T;
    } catch {
      return null;
    }
  }
  return value as T;
}
