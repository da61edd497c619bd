// Request schema and cursor of GET /api/v1/spans (runtime-neutral: clients and the dashboard can reuse them).
import { z } from "zod";
import { AppError } from "../errors";
import { decodeKeyCursor, encodeKeyCursor } from "./cursor";
import { RANGE_PRESETS, ZTimeRangeQuery, type TimeRange } from "./time-range";

/** Normalized span kinds (lib/ingest/normalize-span.ts). */
export const SPAN_KINDS = ["llm", "tool", "agent", "chain", "retriever", "embedding", "other"] as const;
export const SPAN_LIST_MAX_LIMIT = 5000;

const text = z.string().trim().min(1).max(256);

export const ZSpanListQuery = ZTimeRangeQuery.extend({
  service: text.optional(),
  agent: text.optional(),
  step: text.optional(),
  kind: z.enum(SPAN_KINDS).optional(),
  model: text.optional(),
  traceId: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, "must be 32 hex characters")
    .transform((v) => v.toLowerCase())
    .optional(),
  status: z.enum(["ok", "error"]).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SPAN_LIST_MAX_LIMIT).default(100),
});
export type TSpanListQuery = z.infer<typeof ZSpanListQuery>;

/**
 * The span start range of a request: `from`/`to` in epoch ms (`to` defaults to now, `from` to `to` minus
 * `range`, 24 h by default). Unlike the dashboard routes, an empty or inverted range is a 400 rather than
 * silently replaced by the last 24 h: an export must not return other spans than the ones asked for.
 */
export function spanListRange(q: Pick<TSpanListQuery, "from" | "to" | "range">, nowMs: number): TimeRange {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - RANGE_PRESETS[q.range ?? "24h"];
  if (fromMs >= toMs) {
    throw new AppError("bad_request", `Invalid query: from (${fromMs}) must be before to (${toMs}); both are epoch milliseconds and to defaults to now`);
  }
  return { fromMs, toMs };
}

/** Keyset position: the last span's start minute and ingestion sequence. */
export interface SpanCursor {
  minute: number;
  seq: number;
}

const isSpanCursorKey = (value: unknown): value is [number, number] =>
  Array.isArray(value) && value.length === 2 && value.every((v) => Number.isSafeInteger(v) && (v as number) >= 0);

export function encodeSpanCursor(c: SpanCursor): string {
  return encodeKeyCursor([c.minute, c.seq]);
}

export function decodeSpanCursor(cursor: string): SpanCursor {
  const [minute, seq] = decodeKeyCursor(cursor, isSpanCursorKey);
  return { minute, seq };
}
