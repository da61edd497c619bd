"use client";
// One message of a conversation: role, name, and its parts (text as Markdown, tool calls with their
// pretty-printed arguments, tool results), each long part collapsed, with a copy button per message.
import type { ChatMessage, ChatPart } from "@/lib/conversation/parse-conversation";
import { messageText, partText } from "@/lib/conversation/plain-text";
import { CopyButton } from "../ui/copy-button";
import { Collapsible } from "./collapsible";
import { Markdown } from "./markdown";

const KNOWN_ROLES = new Set(["system", "user", "assistant", "tool"]);

function Part({ part }: { part: ChatPart }) {
  switch (part.type) {
    case "text":
      return (
        <Collapsible text={part.text}>
          <Markdown text={part.text} />
        </Collapsible>
      );
    case "reasoning":
      return (
        <div className="chat-reasoning">
          <div className="chat-part-label">Reasoning</div>
          <Collapsible text={part.text}>
            <Markdown text={part.text} />
          </Collapsible>
        </div>
      );
    case "tool_call":
      return (
        <div className="chat-tool" data-testid="tool-call">
          <div className="chat-part-label">
            Tool call <strong className="mono">{part.name}</strong> {part.id && <span className="mono muted">{part.id}</span>}
          </div>
          <Collapsible text={part.arguments}>
            <pre className="block chat-json">{part.arguments}</pre>
          </Collapsible>
        </div>
      );
    case "tool_result":
      return (
        <div className="chat-tool" data-testid="tool-result">
          <div className="chat-part-label">
            Tool result {part.name && <strong className="mono">{part.name}</strong>} {part.id && <span className="mono muted">{part.id}</span>}
          </div>
          <Collapsible text={part.content}>
            <pre className="block chat-json">{part.content}</pre>
          </Collapsible>
        </div>
      );
    case "other":
      return <div className="muted small mono">{partText(part)}</div>;
  }
}

export function ChatMessageView({ message }: { message: ChatMessage }) {
  const roleClass = KNOWN_ROLES.has(message.role) ? message.role : "other";
  return (
    <article className={`chat-msg role-${roleClass}`} data-testid="chat-message" data-role={message.role} aria-label={`${message.role} message`}>
      <header className="chat-msg-header">
        <span className="chat-role">{message.role}</span>
        {message.name && <span className="mono muted small">{message.name}</span>}
        {message.unparsed && <span className="badge neutral" title="The attribute was not in the expected shape (e.g. truncated); shown as sent">raw</span>}
        <span className="spacer" />
        <CopyButton text={messageText(message)} />
      </header>
      <div className="chat-msg-body">
        {message.parts.map((part, i) => (
          <Part key={i} part={part} />
        ))}
      </div>
    </article>
  );
}
