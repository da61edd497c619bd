// OTLP responses in the request's encoding. Errors: google.rpc.Status for protobuf requests; for JSON
// requests the app's {error:{code,message}} body, with Status's numeric code and message alongside.
// Replies are transport-neutral (status, headers, bytes): the Next route and the node:http fast path
// both send them.
import { AppError } from "../errors";
import { errorBody, httpStatus, toAppError } from "../http/errors";
import { otlpTypes } from "./proto";
import type { OtlpEncoding } from "./types";

const PROTOBUF_TYPE = "application/x-protobuf";
const JSON_TYPE = "application/json";

export interface OtlpReply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** gRPC status codes for the HTTP statuses we send (OTLP/HTTP reuses google.rpc.Status). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 408: 4, 409: 6, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

const EMPTY_JSON = Buffer.from("{}");
const EMPTY_PROTOBUF = new Uint8Array(0);

const jsonReply = (status: number, value: unknown, headers: Record<string, string> = {}): OtlpReply => ({
  status,
  headers: { ...headers, "content-type": JSON_TYPE },
  body: Buffer.from(JSON.stringify(value)),
});

export function exportReply(encoding: OtlpEncoding, rejected: number, errorMessage: string): OtlpReply {
  // error_message alone (0 rejected) is OTLP's way to warn, e.g. about truncated data.
  const partial = rejected > 0 || errorMessage ? { rejectedSpans: rejected, errorMessage } : undefined;
  if (encoding === "protobuf") {
    if (!partial) return { status: 200, headers: { "content-type": PROTOBUF_TYPE }, body: EMPTY_PROTOBUF };
    const { response } = otlpTypes();
    return { status: 200, headers: { "content-type": PROTOBUF_TYPE }, body: response.encode(response.create({ partialSuccess: partial })).finish() };
  }
  if (!partial) return { status: 200, headers: { "content-type": JSON_TYPE }, body: EMPTY_JSON };
  return jsonReply(200, { partialSuccess: { rejectedSpans: String(rejected), errorMessage } });
}

/** An empty success for the logs and metrics endpoints (their responses share the same shape). */
export function emptyReply(encoding: OtlpEncoding): OtlpReply {
  return exportReply(encoding, 0, "");
}

export function otlpErrorReply(error: unknown, encoding: OtlpEncoding | null): OtlpReply {
  const appError: AppError = toAppError(error);
  const status = httpStatus(appError);
  const code = GRPC_CODE[status] ?? 2;
  if (encoding === "protobuf") {
    const { rpcStatus } = otlpTypes();
    const bytes = rpcStatus.encode(rpcStatus.create({ code, message: appError.message })).finish();
    return { status, headers: { ...appError.headers, "content-type": PROTOBUF_TYPE }, body: bytes };
  }
  return jsonReply(status, { ...errorBody(appError), code, message: appError.message }, appError.headers);
}

/** The reply as a web Response (Next route handlers, tests). */
export function toResponse(reply: OtlpReply): Response {
  return new Response(new Uint8Array(reply.body), { status: reply.status, headers: reply.headers });
}
