// A conversation as the trace view shows it, whatever convention the SDK used to record it.

export type ChatPart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  /** `arguments` is pretty-printed JSON when the SDK sent JSON, else the text as sent. */
  | { type: "tool_call"; id: string | null; name: string; arguments: string }
  | { type: "tool_result"; id: string | null; name: string | null; content: string }
  /** Images, files and parts of unknown types: a label and a short description. */
  | { type: "other"; label: string; content: string };

export interface ChatMessage {
  /** system, user, assistant or tool for the usual roles; other roles are kept as sent (lower case). */
  role: string;
  name: string | null;
  parts: ChatPart[];
  /** The attribute was not in the expected shape (e.g. truncated JSON): the message holds its raw text. */
  unparsed?: true;
}

export type ConversationFormat = "gen_ai" | "openinference" | "openllmetry" | "vercel_ai";

export interface Conversation {
  format: ConversationFormat;
  input: ChatMessage[];
  output: ChatMessage[];
  /** The attribute keys the conversation was read from, for the raw view. */
  sourceKeys: string[];
}
