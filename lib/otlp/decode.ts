import { AppError } from "../errors";
import { decodeJsonRequest } from "./decode-json";
import { decodeProtobufRequest } from "./decode-protobuf";
import { DEFAULT_INGEST_LIMITS, describeTally, withIngestLimits, type IngestLimits } from "./limits";
import type { DecodeResult, OtlpEncoding } from "./types";

/** Decodes and validates an ExportTraceServiceRequest body (already decompressed), applying the ingestion limits. */
export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding, limits: IngestLimits = DEFAULT_INGEST_LIMITS): DecodeResult {
  if (body.length === 0) throw new AppError("bad_request", "Request body is empty; send an ExportTraceServiceRequest");
  const { result, tally } = withIngestLimits(limits, () => (encoding === "json" ? decodeJsonRequest(body) : decodeProtobufRequest(body)));
  const truncated = describeTally(tally, limits);
  return truncated ? { ...result, truncated } : result;
}

/** OTLP partial_success.error_message: rejected spans first, then what the limits cut (a warning). */
export function partialSuccessMessage(result: DecodeResult): string {
  const parts: string[] = [];
  if (result.rejected > 0) {
    const more = result.rejected - result.problems.length;
    parts.push(`${result.rejected} span(s) rejected: ${result.problems.join("; ")}${more > 0 ? `; and ${more} more` : ""}`);
  }
  if (result.truncated) parts.push(`data truncated: ${result.truncated}`);
  return parts.join(". ");
}
