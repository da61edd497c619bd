// Plain text of chat content: what the copy buttons put on the clipboard, and how long a part is.
import type { ChatMessage, ChatPart } from "./types";

export function partText(part: ChatPart): string {
  switch (part.type) {
    case "text":
    case "reasoning":
      return part.text;
    case "tool_call":
      return `${part.name}(${part.arguments})`;
    case "tool_result":
      return part.content;
    case "other":
      return `[${part.label}] ${part.content}`;
  }
}

export function messageText(message: ChatMessage): string {
  return message.parts.map(partText).join("\n\n");
}

export function conversationText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `${m.role}${m.name ? ` (${m.name})` : ""}:\n${messageText(m)}`).join("\n\n");
}

export const COLLAPSE_CHARS = 900;
export const COLLAPSE_LINES = 14;

/** Long enough to start collapsed behind "show more". */
export function isLongText(text: string): boolean {
  if (text.length > COLLAPSE_CHARS) return true;
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) if (++lines > COLLAPSE_LINES) return true;
  return false;
}
