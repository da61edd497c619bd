// One turn of a session as the session view shows it: what the user asked (the last user message the turn's
// first LLM call received) and what the agent answered (the output of its last LLM call). Traces without a
// conversation fall back to their root span's input and output previews. Pure.
import { textMessage } from "./message";
import { parseConversation } from "./parse-conversation";
import type { ChatMessage } from "./types";

export interface TurnSpans {
  /** Attributes of the turn's first and last LLM spans (the same object when there is one); null when none. */
  firstLlmAttributes: unknown;
  lastLlmAttributes: unknown;
  rootInputPreview: string | null;
  rootOutputPreview: string | null;
}

export interface TurnSummary {
  input: ChatMessage[];
  output: ChatMessage[];
}

const previewMessage = (role: string, text: string | null): ChatMessage[] => (text ? [textMessage(role, text)] : []);

export function summarizeTurn(spans: TurnSpans): TurnSummary {
  const first = parseConversation(spans.firstLlmAttributes);
  const last = spans.lastLlmAttributes === spans.firstLlmAttributes ? first : parseConversation(spans.lastLlmAttributes);
  const asked = first?.input.findLast((m) => m.role === "user");
  const answered = last?.output ?? [];
  return {
    input: asked ? [asked] : previewMessage("user", spans.rootInputPreview),
    output: answered.length > 0 ? answered : previewMessage("assistant", spans.rootOutputPreview),
  };
}
