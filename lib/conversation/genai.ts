// OpenTelemetry GenAI semantic conventions (v1.37+): gen_ai.system_instructions, gen_ai.input.messages and
// gen_ai.output.messages, each JSON of messages made of parts (text, tool_call, tool_call_response, ...).
import { parseStructured, textOf } from "./json";
import { messagesFrom, textMessage } from "./message";
import { toPart } from "./parts";
import type { ChatMessage, Conversation } from "./types";

const KEYS = { system: "gen_ai.system_instructions", input: "gen_ai.input.messages", output: "gen_ai.output.messages" } as const;

/** System instructions: JSON parts ([{type: "text", content}]) or plain text. */
function systemMessage(value: unknown): ChatMessage | null {
  if (value === undefined || value === null || value === "") return null;
  const parsed = parseStructured(value);
  if (Array.isArray(parsed)) return { role: "system", name: null, parts: parsed.map(toPart) };
  return textMessage("system", textOf(parsed ?? value));
}

export function parseGenAi(attributes: Readonly<Record<string, unknown>>): Conversation | null {
  const present = Object.values(KEYS).filter((k) => attributes[k] !== undefined && attributes[k] !== null && attributes[k] !== "");
  if (present.length === 0) return null;
  const system = systemMessage(attributes[KEYS.system]);
  const input = messagesFrom(attributes[KEYS.input], "user");
  return {
    format: "gen_ai",
    input: system && !input.some((m) => m.role === "system") ? [system, ...input] : input,
    output: messagesFrom(attributes[KEYS.output], "assistant"),
    sourceKeys: present,
  };
}
