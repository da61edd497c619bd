// Reads and the feedback write behind the anomalies API and the trace detail endpoint.
import { SYSTEM_CONTEXT, type AuditContext } from "@/lib/audit/audit-actions";
import { appendAudit, auditedTransaction } from "@/lib/audit/audit-store";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/queries/cursor";
import type { TAnomalyListQuery } from "./anomaly-schemas";

export const ANOMALY_FIELDS = {
  id: true, traceId: true, spanId: true, spanSeq: true, detector: true, metric: true, entity: true, observed: true, expected: true,
  expectedLow: true, expectedHigh: true, score: true, severity: true, explanation: true, details: true, fingerprint: true, dedupKey: true,
  feedback: true, feedbackAt: true, alertId: true, occurredAt: true, occurredEndAt: true, createdAt: true,
} as const;

/** Newest behaviour first; `since`/`until` bound when the behaviour happened (occurredAt), not when it was detected. */
export async function listAnomalies(db: Db, projectId: string, q: TAnomalyListQuery) {
  const after = q.cursor ? decodeTimeCursor(q.cursor) : null;
  const rows = await db.anomaly.findMany({
    where: {
      projectId,
      ...(q.since || q.until ? { occurredAt: { ...(q.since ? { gte: q.since } : {}), ...(q.until ? { lt: q.until } : {}) } } : {}),
      ...(q.detector.length ? { detector: { in: q.detector } } : {}),
      ...(q.minScore !== undefined ? { score: { gte: q.minScore } } : {}),
      ...(q.severity.length ? { severity: { in: q.severity } } : {}),
      ...(q.entity ? { entity: { contains: q.entity } } : {}),
      ...(q.expected === "exclude" ? { feedback: null } : q.expected === "only" ? { feedback: "expected" } : {}),
      ...(after ? { OR: [{ occurredAt: { lt: after.at } }, { occurredAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: ANOMALY_FIELDS,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { anomalies: page, nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last.occurredAt, last.id) : null };
}

const SPAN_LIMIT = 2000;

export async function getTraceWithAnomalies(db: Db, projectId: string, traceId: string) {
  const trace = await db.trace.findUnique({ where: { projectId_traceId: { projectId, traceId } } });
  if (!trace) throw new AppError("not_found", `No trace with id ${traceId} in this project`);
  const [spans, anomalies] = await Promise.all([
    db.span.findMany({ where: { projectId, traceId }, orderBy: [{ startNs: "asc" }, { seq: "asc" }], take: SPAN_LIMIT + 1 }),
    db.anomaly.findMany({ where: { projectId, traceId }, orderBy: [{ score: "desc" }, { id: "asc" }], select: ANOMALY_FIELDS }),
  ]);
  const shown = spans.slice(0, SPAN_LIMIT);
  const scores = await db.spanScore.findMany({ where: { seq: { in: shown.map((s) => s.seq) } }, select: { seq: true, score: true } });
  const scoreOf = new Map(scores.map((s) => [s.seq, s.score]));
  const bySpan = new Map<string, typeof anomalies>();
  for (const a of anomalies) if (a.spanId) bySpan.set(a.spanId, [...(bySpan.get(a.spanId) ?? []), a]);
  return {
    trace,
    spans: shown.map((s) => ({ ...s, anomalyScore: scoreOf.get(s.seq) ?? null, anomalies: bySpan.get(s.spanId) ?? [] })),
    truncated: spans.length > SPAN_LIMIT,
    /** Trace-level anomalies (decision chains, rates) that belong to no single span. */
    anomalies: anomalies.filter((a) => !a.spanId),
  };
}

/** Marks an anomaly as expected. Idempotent: a repeated call keeps the first feedback time. */
export async function markAnomalyExpected(db: Db, projectId: string, id: string, now: Date, audit: AuditContext = SYSTEM_CONTEXT) {
  const updated = await auditedTransaction(db, async (tx) => {
    const marked = await tx.anomaly.updateMany({ where: { id, projectId, feedback: null }, data: { feedback: "expected", feedbackAt: now } });
    if (marked.count === 1) await appendAudit(tx, audit, { action: "anomaly.feedback", target: { type: "anomaly", id }, projectId, details: { feedback: "expected" } });
    return marked;
  });
  const anomaly = await db.anomaly.findFirst({ where: { id, projectId }, select: ANOMALY_FIELDS });
  if (!anomaly) throw new AppError("not_found", `No anomaly with id ${id} in this project`);
  return { anomaly, changed: updated.count === 1 };
}
