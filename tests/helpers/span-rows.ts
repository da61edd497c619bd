// Fixture spans as ingestion sees them: decoded from an OTLP/JSON request, and as span rows (decode +
// normalize), for tests of the write path.
import { toSpanRows, type SpanRow } from "@/lib/ingest/span-row";
import { decodeTraceRequest } from "@/lib/otlp/decode";
import type { DecodedSpan } from "@/lib/otlp/types";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import { jsonRequest, type FixtureSpan } from "./otlp-fixtures";

export function decodedSpansOf(spans: FixtureSpan[], resource?: Record<string, string>): DecodedSpan[] {
  return decodeTraceRequest(Buffer.from(JSON.stringify(jsonRequest(spans, resource))), "json").spans;
}

export function spanRowsOf(projectId: string, spans: FixtureSpan[], receivedMs = Date.now()): SpanRow[] {
  return toSpanRows(projectId, decodedSpansOf(spans), DEFAULT_PRICES, receivedMs);
}
