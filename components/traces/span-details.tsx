"use client";
import { useMemo } from "react";
import { formatCompact, formatCost, formatDuration } from "@/lib/charts/units";
import { parseConversation } from "@/lib/conversation/parse-conversation";
import type { Anomaly, Span } from "../data/types";
import { CopyButton } from "../ui/copy-button";
import { AnomalyCard } from "./anomaly-card";
import { ConversationView } from "./conversation-view";

function pretty(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export function SpanDetails({ span, anomalies }: { span: Span; anomalies: Anomaly[] }) {
  const attributeMap = useMemo(() => (span.attributes && typeof span.attributes === "object" && !Array.isArray(span.attributes) ? (span.attributes as Record<string, unknown>) : {}), [span.attributes]);
  const attributes = Object.entries(attributeMap);
  const conversation = useMemo(() => parseConversation(attributeMap), [attributeMap]);
  const events = Array.isArray(span.events) ? span.events : [];
  return (
    <div className="stack" data-testid="span-details">
      <div>
        <h2 style={{ marginBottom: 2 }}>{span.name}</h2>
        <div className="muted small mono">{span.spanId}</div>
      </div>
      {anomalies.map((a) => (
        <AnomalyCard key={a.id} a={a} />
      ))}
      <dl className="kv">
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Status</dt>
        <dd>{span.statusCode === 2 ? <span className="badge bad">error</span> : <span className="badge ok">ok</span>} {span.statusMessage}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(span.durationMs)}</dd>
        {span.agent && (
          <>
            <dt>Agent / step</dt>
            <dd>
              {span.agent} / {span.step}
            </dd>
          </>
        )}
        {span.model && (
          <>
            <dt>Model</dt>
            <dd>
              {span.model} {span.provider && <span className="muted">({span.provider})</span>}
            </dd>
          </>
        )}
        {(span.inputTokens != null || span.outputTokens != null) && (
          <>
            <dt>Tokens</dt>
            <dd>
              {formatCompact(span.inputTokens ?? 0)} in · {formatCompact(span.outputTokens ?? 0)} out
            </dd>
          </>
        )}
        {span.costUsd != null && (
          <>
            <dt>Cost</dt>
            <dd>{formatCost(span.costUsd)}</dd>
          </>
        )}
        {span.anomalyScore != null && (
          <>
            <dt>Anomaly score</dt>
            <dd>{span.anomalyScore.toFixed(3)}</dd>
          </>
        )}
      </dl>
      {conversation && <ConversationView conversation={conversation} attributes={attributeMap} />}
      {!conversation && span.inputPreview && (
        <div>
          <h3>Input</h3>
          <pre className="block">{pretty(span.inputPreview)}</pre>
        </div>
      )}
      {!conversation && span.outputPreview && (
        <div>
          <h3>Output</h3>
          <pre className="block">{pretty(span.outputPreview)}</pre>
        </div>
      )}
      {events.length > 0 && (
        <div>
          <h3>Events</h3>
          <pre className="block">{pretty(events)}</pre>
        </div>
      )}
      {attributes.length > 0 && (
        <details key={span.spanId} open={!conversation} className="attributes">
          <summary>
            <h3 style={{ display: "inline" }}>Attributes</h3> <span className="muted small">({attributes.length})</span>
          </summary>
          <div className="row" style={{ justifyContent: "flex-end", marginBottom: 6 }}>
            <CopyButton text={JSON.stringify(attributeMap, null, 2)} label="Copy attributes JSON" />
          </div>
          <dl className="kv">
            {attributes.map(([k, v]) => (
              <div key={k} style={{ display: "contents" }}>
                <dt className="mono ellipsis" title={k}>
                  {k}
                </dt>
                <dd className="mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
