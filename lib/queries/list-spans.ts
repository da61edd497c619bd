// Span list read model behind GET /api/v1/spans: filters, keyset pagination over the spans time index, each
// span with its score (span_scores) and its span-level anomalies (one second query per page). Raw SQL, both
// dialects: pages of thousands of spans are read for exports and benchmarks, where Prisma is too slow.
//
// Order: start minute, then ingestion sequence: the order of the spans time index (projectId, startMinute, seq),
// so a page reads its own rows for any time range, with or without planner statistics. Pure seq order was
// measured slower for narrow or old ranges: its only index is the primary key, and a page then scans every span
// (of every project) ingested since the cursor until it finds matches. Contract: README.md#span-list.
import type { RawDb } from "../db";
import { startMinuteOf } from "../ingest/span-row";
import { SqlParams, queryDriverArrays, queryRows, toNumber } from "./sql";
import { decodeSpanCursor, encodeSpanCursor, spanListRange, type TSpanListQuery } from "./span-list-query";
import { msToNs, type TimeRange } from "./time-range";

export interface SpanAnomaly {
  id: string;
  detector: string;
  metric: string;
  score: number;
  severity: string;
  explanation: string;
}

export interface SpanListItem {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service: string;
  agent: string | null;
  step: string;
  model: string | null;
  startTime: string;
  /** Epoch nanoseconds as a decimal string (exact; JSON numbers are not). */
  startTimeUnixNano: string;
  endTime: string;
  endTimeUnixNano: string;
  durationMs: number;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** The scorer's anomaly score in [0, 1]; null until the span is scored. */
  score: number | null;
  anomalies: SpanAnomaly[];
}

export interface SpanListPage {
  items: SpanListItem[];
  nextCursor: string | null;
  range: TimeRange;
}

// The select list, in the order of the row arrays (queryDriverArrays). ns timestamps as text: exact in both
// dialects, and no BigInt per row.
const SELECT = [
  ["seq", "s.seq"], ["traceId", 's."traceId"'], ["spanId", 's."spanId"'], ["parentSpanId", 's."parentSpanId"'], ["name", 's."name"'],
  ["kind", 's."kind"'], ["service", 's."service"'], ["agent", 's."agent"'], ["step", 's."step"'], ["model", 's."model"'],
  ["startNs", 'CAST(s."startNs" AS TEXT)'], ["endNs", 'CAST(s."endNs" AS TEXT)'], ["durationMs", 's."durationMs"'], ["statusCode", 's."statusCode"'],
  ["statusMessage", 's."statusMessage"'], ["inputTokens", 's."inputTokens"'], ["outputTokens", 's."outputTokens"'], ["costUsd", 's."costUsd"'], ["score", "c.score"],
] as const;
/** Index of each column in a row array. */
const C = Object.fromEntries(SELECT.map(([name], i) => [name, i])) as Record<(typeof SELECT)[number][0], number>;
const COLUMNS = SELECT.map(([, expr]) => expr).join(", ");
type SpanRow = unknown[];

export async function listSpans(raw: RawDb, projectId: string, query: TSpanListQuery, nowMs: number): Promise<SpanListPage> {
  const range = spanListRange(query, nowMs);
  const [fromNs, toNs] = [msToNs(range.fromMs), msToNs(range.toMs)];
  const cursor = query.cursor ? decodeSpanCursor(query.cursor) : null;
  const fromMinute = Math.max(startMinuteOf(fromNs), cursor?.minute ?? 0);
  const sql = new SqlParams(raw.provider);
  // Placeholders are created in text order (SQLite's "?" are positional).
  const where = [`s."projectId" = ${sql.p(projectId)}`, `s."startMinute" >= ${sql.p(fromMinute)}`, `s."startMinute" <= ${sql.p(startMinuteOf(toNs))}`];
  if (cursor) where.push(`(s."startMinute" > ${sql.p(cursor.minute)} OR s.seq > ${sql.p(cursor.seq)})`);
  where.push(`s."startNs" >= ${sql.p(fromNs)}`, `s."startNs" < ${sql.p(toNs)}`);
  if (query.service) where.push(`s."service" = ${sql.p(query.service)}`);
  if (query.agent) where.push(`s."agent" = ${sql.p(query.agent)}`);
  if (query.step) where.push(`s."step" = ${sql.p(query.step)}`);
  if (query.kind) where.push(`s."kind" = ${sql.p(query.kind)}`);
  if (query.model) where.push(`s."model" = ${sql.p(query.model)}`);
  if (query.traceId) where.push(`s."traceId" = ${sql.p(query.traceId)}`);
  if (query.status === "error") where.push(`s."statusCode" = 2`);
  if (query.status === "ok") where.push(`s."statusCode" <> 2`);
  if (query.minScore !== undefined) where.push(`c.score >= ${sql.p(query.minScore)}`);
  const text = `SELECT ${COLUMNS} FROM spans s LEFT JOIN span_scores c ON c.seq = s.seq
    WHERE ${where.join(" AND ")} ORDER BY s."startMinute", s.seq LIMIT ${sql.p(query.limit + 1)}`;
  const rows = await queryDriverArrays(raw, text, sql.values);
  const page = rows.slice(0, query.limit);
  const anomalies = await readSpanAnomalies(raw, projectId, page);
  const items = page.map((row) => toSpanListItem(row, anomalies.get(`${row[C.traceId] as string}:${row[C.spanId] as string}`) ?? []));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeSpanCursor({ minute: Math.floor(msOfNs(last[C.startNs] as string) / 60_000), seq: Number(last[C.seq]) }) : null,
    range,
  };
}

/** Span-level anomalies of a page's spans, by "traceId:spanId", highest score first: one query per page. */
async function readSpanAnomalies(raw: RawDb, projectId: string, page: SpanRow[]): Promise<Map<string, SpanAnomaly[]>> {
  const out = new Map<string, SpanAnomaly[]>();
  if (page.length === 0) return out;
  const traceIds = [...new Set(page.map((r) => r[C.traceId] as string))];
  const sql = new SqlParams(raw.provider);
  const project = sql.p(projectId);
  // One parameter for the whole list: SQLite reads it with json_each, PostgreSQL as an array.
  const inList = raw.provider === "postgresql" ? `= ANY(${sql.p(traceIds)}::text[])` : `IN (SELECT value FROM json_each(${sql.p(JSON.stringify(traceIds))}))`;
  const rows = await queryRows(
    raw,
    `SELECT "id", "traceId", "spanId", "detector", "metric", "score", "severity", "explanation" FROM anomalies
      WHERE "projectId" = ${project} AND "traceId" ${inList} AND "spanId" IS NOT NULL ORDER BY "score" DESC, "id"`,
    sql.values,
  );
  for (const r of rows) {
    const key = `${String(r.traceId)}:${String(r.spanId)}`;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ id: String(r.id), detector: String(r.detector), metric: String(r.metric), score: toNumber(r.score), severity: String(r.severity), explanation: String(r.explanation) });
  }
  return out;
}

/** Whole milliseconds of a decimal ns string (no BigInt: the digits above the last six). */
function msOfNs(ns: string): number {
  return ns.length > 6 ? Number(ns.slice(0, -6)) : 0;
}

const isoOfNs = (ns: string): string => new Date(msOfNs(ns)).toISOString();

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSpanListItem(row: SpanRow, anomalies: SpanAnomaly[]): SpanListItem {
  const startNs = row[C.startNs] as string;
  const endNs = row[C.endNs] as string;
  return {
    traceId: row[C.traceId] as string,
    spanId: row[C.spanId] as string,
    parentSpanId: row[C.parentSpanId] as string | null,
    name: row[C.name] as string,
    kind: row[C.kind] as string,
    service: row[C.service] as string,
    agent: row[C.agent] as string | null,
    step: row[C.step] as string,
    model: row[C.model] as string | null,
    startTime: isoOfNs(startNs),
    startTimeUnixNano: startNs,
    endTime: isoOfNs(endNs),
    endTimeUnixNano: endNs,
    durationMs: Number(row[C.durationMs]),
    statusCode: Number(row[C.statusCode]),
    statusMessage: row[C.statusMessage] as string | null,
    inputTokens: numberOrNull(row[C.inputTokens]),
    outputTokens: numberOrNull(row[C.outputTokens]),
    costUsd: numberOrNull(row[C.costUsd]),
    score: numberOrNull(row[C.score]),
    anomalies,
  };
}
