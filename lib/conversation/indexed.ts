// Conventions that spread each message over indexed flat attributes:
// - OpenLLMetry (Traceloop): gen_ai.prompt.N.role / .content / .tool_call_id, gen_ai.completion.N.role /
//   .content / .tool_calls.M.name / .arguments / .id (and the older .function_call.*).
// - OpenInference (Arize Phoenix): llm.input_messages.N.message.role / .content / .name / .tool_call_id,
//   .contents.M.message_content.type / .text / .image.image.url, .tool_calls.M.tool_call.id /
//   .function.name / .function.arguments; llm.output_messages.* alike.
import { isRecord, type JsonRecord } from "./json";
import { toChatMessage } from "./message";
import type { ChatMessage, Conversation, ConversationFormat } from "./types";
import { unflattenIndexed } from "./unflatten";

type Attrs = Readonly<Record<string, unknown>>;

/** OpenInference's message: contents and tool calls one level deeper, renamed into the OpenAI shape. */
function fromOpenInference(item: unknown): unknown {
  const m = isRecord(item) && isRecord(item.message) ? item.message : item;
  if (!isRecord(m)) return m;
  const out: JsonRecord = { ...m };
  if (Array.isArray(m.contents)) {
    out.content = m.contents.map((c) => {
      const content = isRecord(c) && isRecord(c.message_content) ? c.message_content : c;
      return isRecord(content) && isRecord(content.image) && isRecord(content.image.image) ? { type: "image", url: content.image.image.url } : content;
    });
    delete out.contents;
  }
  if (Array.isArray(m.tool_calls)) out.tool_calls = m.tool_calls.map((t) => (isRecord(t) && isRecord(t.tool_call) ? t.tool_call : t));
  return out;
}

function indexedMessages(attributes: Attrs, prefix: string, fallbackRole: string, adapt: (item: unknown) => unknown): { messages: ChatMessage[]; keys: string[] } {
  const { items, keys } = unflattenIndexed(attributes, prefix);
  return { messages: items.filter((i) => i !== undefined && i !== null).map((i) => toChatMessage(adapt(i), fallbackRole)), keys };
}

function parseIndexed(attributes: Attrs, format: ConversationFormat, prefixes: { input: string; output: string }, adapt: (item: unknown) => unknown): Conversation | null {
  const input = indexedMessages(attributes, prefixes.input, "user", adapt);
  const output = indexedMessages(attributes, prefixes.output, "assistant", adapt);
  if (input.keys.length === 0 && output.keys.length === 0) return null;
  return { format, input: input.messages, output: output.messages, sourceKeys: [...input.keys, ...output.keys] };
}

export const parseOpenLlmetry = (attributes: Attrs) => parseIndexed(attributes, "openllmetry", { input: "gen_ai.prompt.", output: "gen_ai.completion." }, (i) => i);

export const parseOpenInference = (attributes: Attrs) => parseIndexed(attributes, "openinference", { input: "llm.input_messages.", output: "llm.output_messages." }, fromOpenInference);
