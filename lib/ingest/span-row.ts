// A span as written to the spans table: decoded OTLP data plus normalized fields, serialized once.
import type { DecodedSpan } from "../otlp/types";
import type { PriceTable } from "../pricing/lookup";
import { normalizeSpan, type NormalizedFields } from "./normalize-span";

export interface SpanRow extends Omit<NormalizedFields, "agent"> {
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  bucket: number;
  name: string;
  otelKind: number;
  service: string;
  /** The agent from the span's own attributes. */
  ownAgent: string | null;
  /** Own or inherited from the nearest agent ancestor (resolve-agents.ts). */
  agent: string | null;
  startNs: bigint;
  /** startNs in whole minutes since the epoch: the time index's key (see the schema). */
  startMinute: number;
  endNs: bigint;
  durationMs: number;
  statusCode: number;
  statusMessage: string | null;
  attributes: string;
  events: string | null;
  links: string | null;
  resource: string;
  scope: string | null;
  receivedMs: number;
}

const NS_PER_MINUTE = 60_000_000_000n;

export const startMinuteOf = (startNs: bigint): number => Number(startNs / NS_PER_MINUTE);

/** Workers partition spans by this: a stable hash of the trace id into 0..63. */
export function traceBucket(traceId: string): number {
  return parseInt(traceId.slice(-2), 16) & 63;
}

export function toSpanRow(projectId: string, span: DecodedSpan, prices: PriceTable, receivedMs: number): SpanRow {
  const n = normalizeSpan(span, prices);
  // Listed explicitly (no spread): one stable object shape keeps this hot path fast.
  return {
    projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    bucket: traceBucket(span.traceId),
    name: span.name,
    kind: n.kind,
    otelKind: span.otelKind,
    service: span.resource.service,
    ownAgent: n.agent,
    agent: n.agent,
    step: n.step,
    model: n.model,
    provider: n.provider,
    operation: n.operation,
    sessionId: n.sessionId,
    userId: n.userId,
    startNs: span.startNs,
    startMinute: startMinuteOf(span.startNs),
    endNs: span.endNs,
    durationMs: Number(span.endNs - span.startNs) / 1e6,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    inputTokens: n.inputTokens,
    outputTokens: n.outputTokens,
    cachedTokens: n.cachedTokens,
    reasoningTokens: n.reasoningTokens,
    costUsd: n.costUsd,
    costSource: n.costSource,
    inputPreview: n.inputPreview,
    outputPreview: n.outputPreview,
    argsHash: n.argsHash,
    attributes: JSON.stringify(span.attributes),
    events: span.events ? JSON.stringify(span.events) : null,
    links: span.links ? JSON.stringify(span.links) : null,
    resource: span.resource.json,
    scope: span.scope,
    receivedMs,
  };
}

/** Rows for a batch, without repeats of the same (trace id, span id): the last copy wins. */
export function toSpanRows(projectId: string, spans: DecodedSpan[], prices: PriceTable, receivedMs: number): SpanRow[] {
  const byKey = new Map<string, SpanRow>();
  for (const span of spans) byKey.set(span.traceId + span.spanId, toSpanRow(projectId, span, prices, receivedMs));
  return [...byKey.values()];
}
