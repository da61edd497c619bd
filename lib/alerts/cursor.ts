// Transitional, until lib/detect/query-anomalies.ts (under a parallel change) imports lib/queries/cursor.ts.
export { decodeTimeCursor as decodeCursor, encodeTimeCursor as encodeCursor } from "../queries/cursor";
