// The conversation of an LLM span from its attributes, whichever convention recorded it. Pure and
// runtime-neutral (the trace view runs it in the browser); it never throws: a value in an unexpected shape
// becomes a message holding its raw text.
import { parseGenAi } from "./genai";
import { parseOpenInference, parseOpenLlmetry } from "./indexed";
import type { Conversation } from "./types";
import { parseVercelAi } from "./vercel-ai";

export type { ChatMessage, ChatPart, Conversation, ConversationFormat } from "./types";

/** In order of preference when a span carries more than one convention. */
const PARSERS = [parseGenAi, parseOpenInference, parseOpenLlmetry, parseVercelAi];

export function parseConversation(attributes: unknown): Conversation | null {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) return null;
  const attrs = attributes as Readonly<Record<string, unknown>>;
  for (const parse of PARSERS) {
    try {
      const conversation = parse(attrs);
      if (conversation && conversation.input.length + conversation.output.length > 0) return conversation;
    } catch {
      // A shape no parser foresaw: try the next convention; the raw attributes stay one click away.
    }
  }
  return null;
}

/** The attributes a conversation was read from, values parsed where they are JSON text: the raw view. */
export function conversationSource(attributes: Readonly<Record<string, unknown>>, conversation: Conversation): Record<string, unknown> {
  const source: Record<string, unknown> = {};
  for (const key of conversation.sourceKeys) {
    const value = attributes[key];
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
      try {
        source[key] = JSON.parse(value);
        continue;
      } catch {
        // truncated or not JSON: keep the text
      }
    }
    source[key] = value;
  }
  return source;
}
