// Span rows as one flat array of values for postMessage: V8's structured clone of a flat array is about
// ten times cheaper than of the same rows as objects (no per-object keys and shapes to serialize).
import type { SpanRow } from "./span-row";
import { SPANS } from "../db/columns";

const FIELDS = [...SPANS.columns, "ownAgent"] as const satisfies readonly (keyof SpanRow)[];
const WIDTH = FIELDS.length;
// Every field, in FIELDS order, in V8's fast property layout (JSON.parse builds it so). A row copied from
// it keeps that layout when its fields are set; an object grown key by key to this many keys switches to
// slow dictionary mode, and every later read of a field becomes a hash lookup.
const EMPTY_ROW: Record<string, unknown> = JSON.parse(JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, null]))));

export interface PackedBatches {
  /** Rows per batch. */
  counts: number[];
  values: unknown[];
}

export function packBatches(batches: SpanRow[][]): PackedBatches {
  const counts: number[] = [];
  const values: unknown[] = [];
  for (const rows of batches) {
    counts.push(rows.length);
    for (const row of rows) for (let i = 0; i < WIDTH; i++) values.push(row[FIELDS[i]!]);
  }
  return { counts, values };
}

export function unpackBatches({ counts, values }: PackedBatches): SpanRow[][] {
  const batches: SpanRow[][] = [];
  let at = 0;
  for (const count of counts) {
    const rows: SpanRow[] = [];
    for (let r = 0; r < count; r++, at += WIDTH) {
      const row: Record<string, unknown> = { ...EMPTY_ROW };
      for (let i = 0; i < WIDTH; i++) row[FIELDS[i]!] = values[at + i];
      rows.push(row as unknown as SpanRow);
    }
    batches.push(rows);
  }
  return batches;
}
