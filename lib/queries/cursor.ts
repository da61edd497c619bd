// Opaque keyset cursors for lists ordered by (sort value, id): base64url JSON of the last row's [sortValue, id].
import { AppError } from "../errors";

export type CursorValue = [sortValue: number | string, id: string];

const INVALID = "Invalid cursor; pass the nextCursor value of the previous page unchanged";

/** The one cursor codec: base64url JSON of the last row's key. */
export function encodeKeyCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Decodes a cursor whose key `isKey` accepts; anything else is a 400 that says what to send. */
export function decodeKeyCursor<T extends readonly unknown[]>(cursor: string, isKey: (value: unknown) => value is T): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (isKey(value)) return value;
  } catch {
    // fall through
  }
  throw new AppError("bad_request", INVALID);
}

const isCursorValue = (value: unknown): value is CursorValue =>
  Array.isArray(value) && value.length === 2 && ["number", "string"].includes(typeof value[0]) && typeof value[1] === "string";

export function encodeCursor(value: CursorValue): string {
  return encodeKeyCursor(value);
}

export function decodeCursor(cursor: string): CursorValue {
  return decodeKeyCursor(cursor, isCursorValue);
}

/** A cursor for a list ordered by (time, id); the time travels as an ISO string. */
export function encodeTimeCursor(at: Date, id: string): string {
  return encodeCursor([at.toISOString(), id]);
}

export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const [value, id] = decodeCursor(cursor);
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new AppError("bad_request", INVALID);
  return { at, id };
}
