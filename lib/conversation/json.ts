// JSON helpers that never throw: attribute values arrive as JSON text, as decoded OTLP values, or truncated.

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord => typeof value === "object" && value !== null && !Array.isArray(value);

export const stringOrNull = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** The parsed value of JSON text (object or array only), the value itself when already structured, else undefined. */
export function parseStructured(value: unknown): unknown {
  if (typeof value !== "string") return value !== null && typeof value === "object" ? value : undefined;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Pretty-printed JSON of a value or of JSON text; other text as it is. */
export function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") {
    const parsed = parseJsonText(value);
    return parsed === undefined ? value : stringify(parsed);
  }
  return stringify(value);
}

function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function stringify(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? String(value));
  } catch {
    return String(value);
  }
}

/** Text of a scalar, pretty JSON of anything else. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return prettyJson(value);
}
