"use client";
// One turn of a conversation: when, which trace (a link), how it went, then what was asked and answered.
import Link from "next/link";
import { formatCompact, formatCost, formatDuration } from "@/lib/charts/units";
import type { TraceSessionTurn } from "../data/types";
import { ChatMessageView } from "../traces/chat-message";
import { AnomalyBadge, StatusBadge } from "../ui/badges";

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export function SessionTurn({ turn }: { turn: TraceSessionTurn }) {
  const messages = [...turn.input, ...turn.output];
  return (
    <li className={`turn${turn.errorCount > 0 ? " failed" : ""}`} data-testid="session-turn" data-trace-id={turn.traceId} aria-label={`Turn ${turn.turn}`}>
      <div className="row turn-header">
        <strong>Turn {turn.turn}</strong>
        <span className="muted small" title={new Date(turn.startMs).toISOString()}>
          {clock(turn.startMs)}
        </span>
        <Link href={`/traces/${turn.traceId}`} className="ellipsis turn-trace" title={`Open trace ${turn.traceId}`}>
          {turn.name ?? turn.traceId.slice(0, 16)}
        </Link>
        <span className="spacer" />
        <StatusBadge errors={turn.errorCount} />
        <AnomalyBadge score={turn.anomalyScore} count={turn.anomalyCount} />
        <span className="muted small num">
          {formatDuration(turn.durationMs)} · {formatCompact(turn.totalTokens)} tok · {formatCost(turn.costUsd)}
        </span>
      </div>
      {messages.length > 0 ? (
        <div className="chat">
          {messages.map((m, i) => (
            <ChatMessageView key={i} message={m} />
          ))}
        </div>
      ) : (
        <div className="muted small">No input or output recorded; open the trace for its spans.</div>
      )}
    </li>
  );
}
