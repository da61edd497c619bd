// Opaque keyset cursors for lists ordered by (sort value, id): base64url JSON of the last row's [sortValue, id].
import { AppError } from "../errors";

export type CursorValue = [sortValue: number | string, id: string];

const INVALID = "Invalid cursor; pass the nextCursor value of the previous page unchanged";

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor(cursor: string): CursorValue {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && value.length === 2 && ["number", "string"].includes(typeof value[0]) && typeof value[1] === "string") return value as CursorValue;
  } catch {
    // fall through
  }
  throw new AppError("bad_request", INVALID);
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
