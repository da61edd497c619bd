// Lenient content-type matching: case-insensitive, parameters such as "; charset=utf-8" ignored.
import { AppError } from "../errors";
import type { OtlpEncoding } from "./types";

const PROTOBUF = new Set(["application/x-protobuf", "application/protobuf", "application/vnd.google.protobuf", "application/octet-stream"]);

/** The encoding named by a Content-Type header, or null when it is not one OTLP/HTTP uses. */
export function encodingOf(contentType: string | null): OtlpEncoding | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))) return "json";
  if (PROTOBUF.has(type)) return "protobuf";
  return null;
}

export function requireEncoding(contentType: string | null): OtlpEncoding {
  const encoding = encodingOf(contentType);
  if (!encoding) {
    throw new AppError(
      "unsupported_media_type",
      `Unsupported Content-Type ${JSON.stringify(contentType ?? "")}; send application/x-protobuf or application/json`,
    );
  }
  return encoding;
}
