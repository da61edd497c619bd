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
import { executorFor } from "../db/executor";
import { ident, join, param, perDialect, selectList, sql, type Sql } from "../db/sql";
import { numberOrNull, toNumber } from "../db/sql-values";
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

// The select list; row arrays are read by these positions. ns timestamps as text: exact in both
// dialects, and no BigInt per row.
const col = (name: string) => ident(name, "s");
const SPAN_LIST = selectList([
  ["seq", col("seq")], ["traceId", col("traceId")], ["spanId", col("spanId")], ["parentSpanId", col("parentSpanId")], ["name", col("name")],
  ["kind", col("kind")], ["service", col("service")], ["agent", col("agent")], ["step", col("step")], ["model", col("model")],
  ["startNs", sql`CAST(${col("startNs")} AS TEXT)`], ["endNs", sql`CAST(${col("endNs")} AS TEXT)`], ["durationMs", col("durationMs")],
  ["statusCode", col("statusCode")], ["statusMessage", col("statusMessage")], ["inputTokens", col("inputTokens")],
  ["outputTokens", col("outputTokens")], ["costUsd", col("costUsd")], ["score", sql`c.score`],
] as const);
const C = SPAN_LIST.index;
type SpanRow = unknown[];

export async function listSpans(raw: RawDb, projectId: string, query: TSpanListQuery, nowMs: number): Promise<SpanListPage> {
  const range = spanListRange(query, nowMs);
  const [fromNs, toNs] = [msToNs(range.fromMs), msToNs(range.toMs)];
  const cursor = query.cursor ? decodeSpanCursor(query.cursor) : null;
  const fromMinute = Math.max(startMinuteOf(fromNs), cursor?.minute ?? 0);
  const where: Sql[] = [sql`s."projectId" = ${projectId}`, sql`s."startMinute" >= ${fromMinute}`, sql`s."startMinute" <= ${startMinuteOf(toNs)}`];
  if (cursor) where.push(sql`(s."startMinute" > ${cursor.minute} OR s.seq > ${cursor.seq})`);
  where.push(sql`s."startNs" >= ${fromNs}`, sql`s."startNs" < ${toNs}`);
  if (query.service) where.push(sql`s."service" = ${query.service}`);
  if (query.agent) where.push(sql`s."agent" = ${query.agent}`);
  if (query.step) where.push(sql`s."step" = ${query.step}`);
  if (query.kind) where.push(sql`s."kind" = ${query.kind}`);
  if (query.model) where.push(sql`s."model" = ${query.model}`);
  if (query.traceId) where.push(sql`s."traceId" = ${query.traceId}`);
  if (query.status === "error") where.push(sql`s."statusCode" = 2`);
  if (query.status === "ok") where.push(sql`s."statusCode" <> 2`);
  if (query.minScore !== undefined) where.push(sql`c.score >= ${query.minScore}`);
  const rows = await executorFor(raw).arrays(sql`SELECT ${SPAN_LIST.select} FROM spans s LEFT JOIN span_scores c ON c.seq = s.seq
    WHERE ${join(where, " AND ")} ORDER BY s."startMinute", s.seq LIMIT ${query.limit + 1}`);
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
  // One parameter for the whole list, whatever the page size (one statement text): SQLite reads it with
  // json_each, PostgreSQL as an array.
  const inTraces = perDialect({ sqlite: sql`IN (SELECT value FROM json_each(${JSON.stringify(traceIds)}))`, postgresql: sql`= ANY(${param(traceIds, "text[]")})` });
  const rows = await executorFor(raw).all(sql`SELECT "id", "traceId", "spanId", "detector", "metric", "score", "severity", "explanation" FROM anomalies
      WHERE "projectId" = ${projectId} AND "traceId" ${inTraces} AND "spanId" IS NOT NULL ORDER BY "score" DESC, "id"`);
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
