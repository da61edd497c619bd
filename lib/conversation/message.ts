// One message, in any of the shapes the conventions use, as a ChatMessage.
import { isRecord, parseStructured, stringOrNull, textOf, type JsonRecord } from "./json";
import { openAiToolCall, toolCallPart, toolResultPart, toPart } from "./parts";
import type { ChatMessage, ChatPart } from "./types";

const ROLE_ALIASES: Record<string, string> = { human: "user", ai: "assistant", model: "assistant", bot: "assistant", function: "tool", ipython: "tool" };

export function normalizeRole(role: unknown, fallback: string): string {
  const r = typeof role === "string" && role.trim() ? role.trim().toLowerCase() : fallback;
  return ROLE_ALIASES[r] ?? r;
}

/** A message made of one text: a plain string, or the raw text of a value that was not in the expected shape. */
export function textMessage(role: string, text: string, unparsed = false): ChatMessage {
  return { role, name: null, parts: [{ type: "text", text }], ...(unparsed ? { unparsed: true as const } : {}) };
}

/** JSON text of content parts ([{type: ...}, ...]) as used by OpenLLMetry for multi-part content; else undefined. */
function contentParts(text: string): unknown[] | undefined {
  const parsed = parseStructured(text);
  return Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => isRecord(p) && typeof p.type === "string") ? parsed : undefined;
}

function contentToParts(content: unknown, m: JsonRecord, role: string): ChatPart[] {
  if (content === undefined || content === null || content === "") return [];
  if (typeof content === "string") {
    if (role === "tool" && (m.tool_call_id !== undefined || m.name !== undefined)) return [toolResultPart(m.tool_call_id, m.name, content)];
    const parts = contentParts(content);
    return parts ? parts.map(toPart) : [{ type: "text", text: content }];
  }
  if (Array.isArray(content)) return content.map(toPart);
  if (isRecord(content)) return [toPart(content)];
  return [{ type: "text", text: textOf(content) }];
}

function toolCallsOf(m: JsonRecord): ChatPart[] {
  const calls: ChatPart[] = [];
  if (Array.isArray(m.tool_calls)) calls.push(...m.tool_calls.map(openAiToolCall));
  if (isRecord(m.function_call)) calls.push(toolCallPart(null, m.function_call.name, m.function_call.arguments));
  return calls;
}

export function toChatMessage(raw: unknown, fallbackRole: string): ChatMessage {
  if (typeof raw === "string") return textMessage(fallbackRole, raw);
  if (!isRecord(raw)) return textMessage(fallbackRole, textOf(raw), true);
  // OpenAI choices: {index, message: {...}, finish_reason}
  const m = isRecord(raw.message) && raw.role === undefined ? raw.message : raw;
  const role = normalizeRole(m.role, fallbackRole);
  const parts = [...(Array.isArray(m.parts) ? m.parts.map(toPart) : []), ...contentToParts(m.content ?? m.text, m, role), ...toolCallsOf(m)];
  if (parts.length === 0) return textMessage(role, textOf(raw), true);
  return { role, name: stringOrNull(m.name), parts };
}

/** A list of messages from an attribute value: a JSON array, {messages: [...]}, one message, or plain text. */
export function messagesFrom(value: unknown, fallbackRole: string): ChatMessage[] {
  if (value === undefined || value === null || value === "") return [];
  const parsed = parseStructured(value);
  if (parsed === undefined) return [textMessage(fallbackRole, textOf(value), typeof value !== "string" || /^\s*[[{]/.test(value))];
  if (Array.isArray(parsed)) return parsed.map((m) => toChatMessage(m, fallbackRole));
  const record = parsed as JsonRecord;
  if (Array.isArray(record.messages)) return record.messages.map((m) => toChatMessage(m, fallbackRole));
  if (Array.isArray(record.choices)) return record.choices.map((c) => toChatMessage(c, fallbackRole));
  return [toChatMessage(record, fallbackRole)];
}
