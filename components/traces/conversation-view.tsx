"use client";
// The conversation of an LLM span as a chat, with the attributes it was read from one click away.
import { useMemo, useState } from "react";
import { conversationSource, type ChatMessage, type Conversation } from "@/lib/conversation/parse-conversation";
import { conversationText } from "@/lib/conversation/plain-text";
import { CopyButton } from "../ui/copy-button";
import { ChatMessageView } from "./chat-message";

const FORMAT_LABELS: Record<Conversation["format"], string> = {
  gen_ai: "OpenTelemetry GenAI",
  openinference: "OpenInference",
  openllmetry: "OpenLLMetry",
  vercel_ai: "Vercel AI SDK",
};

function Messages({ title, messages }: { title: string; messages: ChatMessage[] }) {
  if (messages.length === 0) return null;
  return (
    <section className="chat" aria-label={title}>
      <div className="row">
        <h3 style={{ margin: 0 }}>{title}</h3>
        <span className="muted small">
          {messages.length} message{messages.length === 1 ? "" : "s"}
        </span>
        <span className="spacer" />
        <CopyButton text={conversationText(messages)} label={`Copy ${title.toLowerCase()}`} />
      </div>
      {messages.map((m, i) => (
        <ChatMessageView key={i} message={m} />
      ))}
    </section>
  );
}

export function ConversationView({ conversation, attributes }: { conversation: Conversation; attributes: Record<string, unknown> }) {
  const [view, setView] = useState<"chat" | "raw">("chat");
  const raw = useMemo(() => JSON.stringify(conversationSource(attributes, conversation), null, 2), [attributes, conversation]);
  return (
    <div className="stack" style={{ gap: 10 }} data-testid="conversation">
      <div className="row">
        <h3 style={{ margin: 0 }}>Conversation</h3>
        <span className="muted small">{FORMAT_LABELS[conversation.format]}</span>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Conversation view">
          <button type="button" aria-pressed={view === "chat"} onClick={() => setView("chat")}>
            Chat
          </button>
          <button type="button" aria-pressed={view === "raw"} onClick={() => setView("raw")}>
            Raw JSON
          </button>
        </div>
      </div>
      {view === "chat" ? (
        <>
          <Messages title="Input" messages={conversation.input} />
          <Messages title="Output" messages={conversation.output} />
        </>
      ) : (
        <div className="stack" style={{ gap: 6 }}>
          <div className="row">
            <span className="muted small">{conversation.sourceKeys.join(", ")}</span>
            <span className="spacer" />
            <CopyButton text={raw} label="Copy JSON" />
          </div>
          <pre className="block chat-raw" data-testid="conversation-raw">
            {raw}
          </pre>
        </div>
      )}
    </div>
  );
}
