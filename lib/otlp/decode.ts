import { AppError } from "../http/errors";
import { decodeJsonRequest } from "./decode-json";
import { decodeProtobufRequest } from "./decode-protobuf";
import type { DecodeResult, OtlpEncoding } from "./types";

/** Decodes and validates an ExportTraceServiceRequest body (already decompressed). */
export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding): DecodeResult {
  if (body.length === 0) throw new AppError("bad_request", "Request body is empty; send an ExportTraceServiceRequest");
  return encoding === "json" ? decodeJsonRequest(body) : decodeProtobufRequest(body);
}

export function partialSuccessMessage(result: DecodeResult): string {
  if (result.rejected === 0) return "";
  const more = result.rejected - result.problems.length;
  return `${result.rejected} span(s) rejected: ${result.problems.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
