// OTLP responses in the request's encoding. Errors: google.rpc.Status for protobuf requests; for JSON
// requests the app's {error:{code,message}} body, with Status's numeric code and message alongside.
import { AppError, errorBody, toAppError } from "../http/errors";
import { otlpTypes } from "./proto";
import type { OtlpEncoding } from "./types";

const PROTOBUF_TYPE = "application/x-protobuf";

/** gRPC status codes for the HTTP statuses we send (OTLP/HTTP reuses google.rpc.Status). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

export function exportResponse(encoding: OtlpEncoding, rejected: number, errorMessage: string): Response {
  // error_message alone (0 rejected) is OTLP's way to warn, e.g. about truncated data.
  const partial = rejected > 0 || errorMessage ? { rejectedSpans: rejected, errorMessage } : undefined;
  if (encoding === "protobuf") {
    const { response } = otlpTypes();
    const bytes = response.encode(response.create(partial ? { partialSuccess: partial } : {})).finish();
    return new Response(new Uint8Array(bytes), { status: 200, headers: { "content-type": PROTOBUF_TYPE } });
  }
  const body = partial ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {};
  return Response.json(body, { status: 200 });
}

/** An empty success for the logs and metrics endpoints (their responses share the same shape). */
export function emptyResponse(encoding: OtlpEncoding): Response {
  return encoding === "protobuf"
    ? new Response(new Uint8Array(0), { status: 200, headers: { "content-type": PROTOBUF_TYPE } })
    : Response.json({}, { status: 200 });
}

export function otlpErrorResponse(error: unknown, encoding: OtlpEncoding | null): Response {
  const appError: AppError = toAppError(error);
  const code = GRPC_CODE[appError.status] ?? 2;
  if (encoding === "protobuf") {
    const { rpcStatus } = otlpTypes();
    const bytes = rpcStatus.encode(rpcStatus.create({ code, message: appError.message })).finish();
    return new Response(new Uint8Array(bytes), {
      status: appError.status,
      headers: { ...appError.headers, "content-type": PROTOBUF_TYPE },
    });
  }
  return Response.json({ ...errorBody(appError), code, message: appError.message }, { status: appError.status, headers: appError.headers });
}
