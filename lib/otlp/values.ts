// Field checks shared by the JSON and protobuf decoders. A SpanProblem rejects one span, not the request.
import { countTruncatedValue, currentLimits, DEFAULT_INGEST_LIMITS } from "./limits";
import type { AttrValue } from "./types";

export class SpanProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Default cut for attribute strings (ARGUS_MAX_ATTRIBUTE_CHARS; the body limit bounds the request itself). */
export const MAX_ATTRIBUTE_CHARS = DEFAULT_INGEST_LIMITS.maxAttributeChars;
/** A value cut by the nesting or value-count limits (limits.ts): left out of its container and counted. */
export const DROPPED: unique symbol = Symbol("dropped attribute value");

const INT64_MAX = 9_223_372_036_854_775_807n;
const HEX = /^[0-9a-fA-F]+$/;
const ZERO = /^0+$/;

/**
 * Every decoded string passes here: lone surrogates (possible in JSON escapes) and NUL characters become
 * U+FFFD, because PostgreSQL text and jsonb refuse both; over-long values are cut.
 */
export function clean(value: string): string {
  let out = value.isWellFormed() ? value : value.toWellFormed();
  if (out.includes("\0")) out = out.replaceAll("\0", "\uFFFD");
  const max = currentLimits().maxAttributeChars;
  if (out.length <= max) return out;
  countTruncatedValue();
  return `${out.slice(0, max)}…[truncated ${out.length - max} chars]`;
}

/** A hex id from JSON: exactly `bytes * 2` hex characters, not all zero. */
export function hexId(value: unknown, bytes: number, field: string, required: boolean): string | null {
  if (value === undefined || value === null || value === "") {
    if (required) throw new SpanProblem(field, "is required");
    return null;
  }
  if (typeof value !== "string") throw new SpanProblem(field, `must be a hex string, got ${typeof value}`);
  if (value.length !== bytes * 2 || !HEX.test(value)) {
    throw new SpanProblem(field, `must be ${bytes * 2} hex characters (${bytes} bytes), got ${JSON.stringify(value.slice(0, 40))}`);
  }
  if (ZERO.test(value)) {
    if (required) throw new SpanProblem(field, "must not be all zeros");
    return null;
  }
  return value.toLowerCase();
}

/** A binary id from protobuf. */
export function bytesId(value: Uint8Array | null | undefined, bytes: number, field: string, required: boolean): string | null {
  if (!value || value.length === 0) {
    if (required) throw new SpanProblem(field, "is required");
    return null;
  }
  if (value.length !== bytes) throw new SpanProblem(field, `must be ${bytes} bytes, got ${value.length}`);
  const hex = Buffer.from(value.buffer, value.byteOffset, value.length).toString("hex");
  if (ZERO.test(hex)) {
    if (required) throw new SpanProblem(field, "must not be all zeros");
    return null;
  }
  return hex;
}

/** Nanoseconds since the epoch from a JSON string or number. */
export function jsonNanos(value: unknown, field: string, required: boolean): bigint {
  let n: bigint;
  if (typeof value === "string" && /^\d{1,19}$/.test(value)) n = BigInt(value);
  else if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else if (value === undefined || value === null) n = 0n;
  else throw new SpanProblem(field, `must be a non-negative integer (nanoseconds, as a decimal string), got ${JSON.stringify(value).slice(0, 40)}`);
  return checkNanos(n, field, required);
}

interface LongLike {
  low: number;
  high: number;
}

export function longNanos(value: LongLike | number | null | undefined, field: string, required: boolean): bigint {
  let n: bigint;
  if (value === null || value === undefined) n = 0n;
  else if (typeof value === "number") n = BigInt(value);
  else n = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return checkNanos(n, field, required);
}

function checkNanos(n: bigint, field: string, required: boolean): bigint {
  if (n === 0n && required) throw new SpanProblem(field, "is required (nanoseconds since the Unix epoch)");
  if (n > INT64_MAX) throw new SpanProblem(field, "is beyond the largest supported time");
  return n;
}

/** int64 attribute value: a number when exact, else its decimal string. */
export function int64Value(text: string): AttrValue {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export function longValue(value: LongLike & { unsigned?: boolean } | number): AttrValue {
  if (typeof value === "number") return value;
  const n = value.high * 4294967296 + (value.low >>> 0);
  if (Number.isSafeInteger(n)) return n;
  const big = (BigInt(value.high) << 32n) | BigInt(value.low >>> 0);
  return big.toString();
}

export const SPAN_KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

export const STATUS_CODE_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

export function enumValue(value: unknown, names: Record<string, number>, max: number, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max) return value;
  if (typeof value === "string" && value in names) return names[value]!;
  throw new SpanProblem(field, `must be an integer 0..${max}, got ${JSON.stringify(value).slice(0, 40)}`);
}

export function serviceName(attributes: Record<string, AttrValue>): string {
  const name = attributes["service.name"];
  return typeof name === "string" && name ? name : "unknown_service";
}

/** Sets an attribute; "__proto__" becomes an ordinary key instead of replacing the object's prototype. */
export function setAttribute(out: Record<string, AttrValue>, key: string, value: AttrValue): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
