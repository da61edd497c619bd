// Short, single-line input/output previews from whatever shape the convention uses:
// plain text, OpenAI-style message arrays, GenAI parts ({type:"text", content}), or indexed Traceloop keys.
import type { Attributes, AttrValue } from "../otlp/types";

export const PREVIEW_CHARS = 240;
const MAX_PARSE_CHARS = 256 * 1024;

// Whitespace runs that collapsing changes: any run with a tab, newline or no-break space, or of two or
// more spaces. The single spaces between words (nearly every run in prose) stay untouched, so the
// replace builds few pieces.
const WHITESPACE_TO_COLLAPSE = /[\t-\r\u00a0][\t-\r \u00a0]*| [\t-\r \u00a0]+/g;

/**
 * First PREVIEW_CHARS characters with whitespace runs collapsed. Works on a window of the text (prompts
 * run to kilobytes), widened when whitespace ate so much of it that the preview would come out short.
 */
function clip(text: string): string {
  for (let window = PREVIEW_CHARS * 2; ; window *= 4) {
    const part = text.length > window ? text.slice(0, window) : text;
    const collapsed = part.replace(WHITESPACE_TO_COLLAPSE, " ").trim();
    if (collapsed.length >= PREVIEW_CHARS) return `${collapsed.slice(0, PREVIEW_CHARS - 1)}…`;
    if (part === text) return collapsed;
  }
}

/** Text of a message or part: content string, content parts, or parts[].content / parts[].text. */
function messageText(message: unknown): string | null {
  if (typeof message === "string") return message;
  if (!message || typeof message !== "object") return null;
  const m = message as Record<string, unknown>;
  if (typeof m.content === "string") return m.content;
  if (typeof m.text === "string") return m.text;
  const parts = Array.isArray(m.content) ? m.content : Array.isArray(m.parts) ? m.parts : null;
  if (parts) {
    const texts = parts.map(messageText).filter((t): t is string => !!t);
    if (texts.length) return texts.join(" ");
  }
  if (typeof m.result === "string") return m.result;
  return null;
}

/** The most telling text of a value: the last message of a message list, else the value itself. */
function valueText(value: AttrValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    const trimmed = value.trimStart();
    if ((trimmed.startsWith("[") || trimmed.startsWith("{")) && value.length <= MAX_PARSE_CHARS) {
      try {
        const parsed: unknown = JSON.parse(value);
        const text = structuredText(parsed);
        if (text) return text;
      } catch {
        // not JSON: show it as it is
      }
    }
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return structuredText(value) ?? JSON.stringify(value);
}

function structuredText(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      const text = messageText(value[i]);
      if (text) return text;
    }
    return null;
  }
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.messages)) return structuredText(v.messages);
    if (Array.isArray(v.choices)) return structuredText(v.choices.map((c) => (c as Record<string, unknown>)?.message ?? c));
    return messageText(v);
  }
  return null;
}

/** Traceloop's gen_ai.prompt.N.content / gen_ai.completion.N.content: the highest N. */
function indexedText(attributes: Attributes, prefix: string): string | null {
  let best = -1;
  let text: string | null = null;
  for (const key in attributes) {
    if (!key.startsWith(prefix) || !key.endsWith(".content")) continue;
    const index = Number(key.slice(prefix.length, -".content".length));
    const value = attributes[key];
    if (Number.isInteger(index) && index > best && typeof value === "string") {
      best = index;
      text = value;
    }
  }
  return text;
}

export function preview(attributes: Attributes, keys: readonly string[], indexedPrefix: string): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined || value === null || value === "") continue;
    const text = valueText(value);
    if (text) return clip(text);
  }
  const indexed = indexedText(attributes, indexedPrefix);
  return indexed ? clip(indexed) : null;
}
