// Sends generated traces through the real OTLP path: OTLP/JSON → decoder → ingestion (raw writes),
// in-process, or over HTTP to a running server (POST /v1/traces) when a base URL is given.
import type { RawDb } from "@/lib/db";
import { ingestSpans } from "@/lib/ingest/ingest-spans";
import { decodeJsonRequest } from "@/lib/otlp/decode-json";
import { DEFAULT_PRICES } from "@/lib/pricing/load-prices";
import type { GenTrace } from "./generate-workload";
import { toOtlpJson } from "./to-otlp";

export interface IngestTarget {
  raw?: RawDb;
  projectId?: string;
  /** Base URL of a running Argus and an API key: uses the HTTP endpoint instead of the library. */
  http?: { url: string; apiKey: string };
}

export async function ingestTraces(target: IngestTarget, traces: readonly GenTrace[], receivedMs = Date.now()): Promise<number> {
  if (traces.length === 0) return 0;
  const body = JSON.stringify(toOtlpJson(traces));
  if (target.http) {
    const res = await fetch(`${target.http.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${target.http.apiKey}` }, body });
    if (!res.ok) throw new Error(`OTLP export failed: ${res.status} ${await res.text()}`);
    return traces.reduce((n, t) => n + t.spans.length, 0);
  }
  const decoded = decodeJsonRequest(Buffer.from(body));
  if (decoded.rejected) throw new Error(`generator produced invalid spans: ${decoded.problems.join("; ")}`);
  const result = await ingestSpans(decoded.spans, { raw: target.raw!, projectId: target.projectId!, prices: DEFAULT_PRICES, receivedMs });
  return result.inserted;
}

/** Ingests in chunks of `perRequest` traces (like an exporter's batches). */
export async function ingestAll(target: IngestTarget, traces: readonly GenTrace[], perRequest = 200, receivedMs?: number): Promise<number> {
  let n = 0;
  for (let i = 0; i < traces.length; i += perRequest) n += await ingestTraces(target, traces.slice(i, i + perRequest), receivedMs);
  return n;
}
