// Opaque keyset cursors for lists ordered by (time desc, id desc).
import { AppError } from "../errors";

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(at);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new AppError("bad_request", "Invalid cursor: pass the nextCursor value of the previous page unchanged");
  }
}
