// One content part of a message, in any of the shapes the conventions use: GenAI parts (text, tool_call,
// tool_call_response, reasoning), OpenAI content parts and tool_calls, Vercel AI SDK parts (tool-call,
// tool-result) and Anthropic blocks (tool_use, tool_result).
import { isRecord, prettyJson, stringOrNull, textOf, type JsonRecord } from "./json";
import type { ChatPart } from "./types";

const MEDIA_TYPES = new Set(["image", "image_url", "input_image", "blob", "uri", "file", "audio", "input_audio", "video"]);
const DESCRIPTION_CHARS = 200;

export function toolCallPart(id: unknown, name: unknown, args: unknown): ChatPart {
  return { type: "tool_call", id: stringOrNull(id), name: stringOrNull(name) ?? "(unnamed tool)", arguments: prettyJson(args) };
}

export function toolResultPart(id: unknown, name: unknown, content: unknown): ChatPart {
  return { type: "tool_result", id: stringOrNull(id), name: stringOrNull(name), content: textOf(unwrapToolOutput(content)) };
}

/** Vercel AI SDK 5 wraps tool outputs as {type: "json" | "text", value}. */
function unwrapToolOutput(output: unknown): unknown {
  return isRecord(output) && typeof output.type === "string" && "value" in output ? output.value : output;
}

/** OpenAI's {id, type: "function", function: {name, arguments}} or a flat {id, name, arguments}. */
export function openAiToolCall(call: unknown): ChatPart {
  if (!isRecord(call)) return toolCallPart(null, null, call);
  const fn = isRecord(call.function) ? call.function : call;
  return toolCallPart(call.id, fn.name, fn.arguments ?? fn.args ?? fn.input);
}

function describeMedia(type: string, p: JsonRecord): ChatPart {
  const imageUrl = isRecord(p.image_url) ? p.image_url.url : p.image_url;
  const source = stringOrNull(p.uri) ?? stringOrNull(p.url) ?? stringOrNull(imageUrl) ?? stringOrNull(p.file_id);
  const mime = stringOrNull(p.mime_type) ?? stringOrNull(p.mediaType) ?? stringOrNull(p.mimeType) ?? stringOrNull(p.modality);
  const description = source && !source.startsWith("data:") ? source : `${mime ?? type} (inline data)`;
  return { type: "other", label: type, content: description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS - 1)}…` : description };
}

function textField(p: JsonRecord): string | null {
  for (const key of ["content", "text", "thinking"]) if (typeof p[key] === "string") return p[key] as string;
  return null;
}

export function toPart(part: unknown): ChatPart {
  if (typeof part === "string") return { type: "text", text: part };
  if (!isRecord(part)) return { type: "text", text: textOf(part) };
  const type = typeof part.type === "string" ? part.type : "";
  switch (type) {
    case "text":
    case "input_text":
    case "output_text":
      return { type: "text", text: textField(part) ?? "" };
    case "reasoning":
    case "thinking":
      return { type: "reasoning", text: textField(part) ?? "" };
    case "tool_call":
      return toolCallPart(part.id, part.name, part.arguments);
    case "tool-call":
      return toolCallPart(part.toolCallId, part.toolName, part.args ?? part.input);
    case "tool_use":
      return toolCallPart(part.id, part.name, part.input);
    case "function":
      return openAiToolCall(part);
    case "tool_call_response":
      return toolResultPart(part.id, part.name, part.response ?? part.result ?? part.content);
    case "tool-result":
      return toolResultPart(part.toolCallId, part.toolName, part.output ?? part.result);
    case "tool_result":
      return toolResultPart(part.tool_use_id ?? part.id, part.name, part.content);
  }
  if (MEDIA_TYPES.has(type)) return describeMedia(type, part);
  const text = textField(part);
  if (text !== null) return { type: "text", text };
  return { type: "other", label: type || "part", content: prettyJson(part) };
}
