// Span rows as ingestion builds them (decode + normalize) from fixture spans, for tests of the write path.
import { toSpanRows, type SpanRow } from "@/lib/ingest/span-row";
import { decodeTraceRequest } from "@/lib/otlp/decode";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { jsonRequest, type FixtureSpan } from "./otlp-fixtures";

export function spanRowsOf(projectId: string, spans: FixtureSpan[], receivedMs = Date.now()): SpanRow[] {
  return toSpanRows(projectId, decodeTraceRequest(Buffer.from(JSON.stringify(jsonRequest(spans))), "json").spans, DEFAULT_PRICES, receivedMs);
}
