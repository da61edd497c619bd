// Vercel AI SDK telemetry: ai.prompt.messages (JSON messages, on the provider-call spans) or ai.prompt
// (JSON {system?, prompt?, messages?}, on the outer spans); ai.response.text, ai.response.toolCalls (JSON
// [{toolCallId, toolName, args | input}]) and ai.response.object for the answer.
import { isRecord, parseStructured, prettyJson, textOf } from "./json";
import { messagesFrom, textMessage } from "./message";
import { toolCallPart } from "./parts";
import type { ChatMessage, ChatPart, Conversation } from "./types";

type Attrs = Readonly<Record<string, unknown>>;

const KEYS = { messages: "ai.prompt.messages", prompt: "ai.prompt", text: "ai.response.text", toolCalls: "ai.response.toolCalls", object: "ai.response.object" } as const;

const has = (attributes: Attrs, key: string) => attributes[key] !== undefined && attributes[key] !== null && attributes[key] !== "";

/** ai.prompt: {system, prompt} or {system, messages}; text that is not that object is the user's prompt. */
function promptMessages(value: unknown): ChatMessage[] {
  const parsed = parseStructured(value);
  if (!isRecord(parsed)) return messagesFrom(value, "user");
  const messages: ChatMessage[] = [];
  if (typeof parsed.system === "string" && parsed.system) messages.push(textMessage("system", parsed.system));
  if (typeof parsed.prompt === "string") messages.push(textMessage("user", parsed.prompt));
  else if (parsed.prompt !== undefined && parsed.prompt !== null) messages.push(...messagesFrom(parsed.prompt, "user"));
  if (parsed.messages !== undefined && parsed.messages !== null) messages.push(...messagesFrom(parsed.messages, "user"));
  return messages.length ? messages : messagesFrom(value, "user");
}

function responseToolCalls(value: unknown): ChatPart[] {
  if (value === undefined || value === null || value === "") return [];
  const parsed = parseStructured(value);
  if (!Array.isArray(parsed)) return [{ type: "other", label: "tool calls", content: textOf(value) }];
  return parsed.map((c) => (isRecord(c) ? toolCallPart(c.toolCallId, c.toolName, c.args ?? c.input) : toolCallPart(null, null, c)));
}

function responseMessages(attributes: Attrs): ChatMessage[] {
  const parts: ChatPart[] = [];
  if (has(attributes, KEYS.text)) parts.push({ type: "text", text: textOf(attributes[KEYS.text]) });
  if (has(attributes, KEYS.object)) parts.push({ type: "text", text: `\`\`\`json\n${prettyJson(attributes[KEYS.object])}\n\`\`\`` });
  parts.push(...responseToolCalls(attributes[KEYS.toolCalls]));
  return parts.length ? [{ role: "assistant", name: null, parts }] : [];
}

export function parseVercelAi(attributes: Attrs): Conversation | null {
  const sourceKeys = Object.values(KEYS).filter((k) => has(attributes, k));
  if (sourceKeys.length === 0) return null;
  const input = has(attributes, KEYS.messages) ? messagesFrom(attributes[KEYS.messages], "user") : promptMessages(attributes[KEYS.prompt]);
  return { format: "vercel_ai", input, output: responseMessages(attributes), sourceKeys };
}
