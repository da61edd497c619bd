"use client";
import { useParams } from "next/navigation";
import { formatCompact, formatCost, formatDuration } from "@/lib/charts/units";
import { AnomalyCard } from "@/components/traces/anomaly-card";
import { DecisionChain } from "@/components/traces/decision-chain";
import { SpanDetails } from "@/components/traces/span-details";
import { Waterfall } from "@/components/traces/waterfall";
import { useTrace } from "@/components/data/use-resources";
import { AnomalyBadge } from "@/components/ui/badges";
import { Empty, QueryView } from "@/components/ui/states";
import { RangeLink } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";
import { nsToMsNumber } from "@/components/traces/ns";
import { SessionLink, UserLink } from "@/components/sessions/id-links";

export default function TracePage() {
  const { traceId } = useParams<{ traceId: string }>();
  const query = useTrace(traceId);
  const { get, set } = useUrlState();
  const select = (spanId: string) => set({ span: spanId }, { replace: true });
  return (
    <>
      <div className="page-header">
        <div>
          <div className="small">
            <RangeLink href="/traces">← Traces</RangeLink>
          </div>
          <h1>{query.data?.trace.name ?? "Trace"}</h1>
          <div className="sub mono">{traceId}</div>
          <TraceOwners sessionId={query.data?.trace.sessionId} userId={query.data?.trace.userId} />
        </div>
      </div>
      <QueryView query={query} rows={10} isEmpty={(d) => d.spans.length === 0} empty={<Empty title="This trace has no spans yet">Spans may still be arriving; the page refreshes by itself.</Empty>}>
        {(data) => {
          const anomalies = [...data.anomalies].sort((a, b) => b.score - a.score);
          const anomalousSpanIds = new Set([...anomalies.filter((a) => a.spanId && a.feedback !== "expected").map((a) => a.spanId!), ...data.spans.filter((s) => (s.anomalyScore ?? 0) >= 0.5).map((s) => s.spanId)]);
          const selectedId = get("span") ?? anomalies.find((a) => a.spanId)?.spanId ?? data.spans.find((s) => !s.parentSpanId)?.spanId;
          const selected = data.spans.find((s) => s.spanId === selectedId);
          const start = Math.min(...data.spans.map((s) => nsToMsNumber(s.startNs)));
          const end = Math.max(...data.spans.map((s) => nsToMsNumber(s.endNs)));
          const tokens = data.spans.reduce((n, s) => n + (s.inputTokens ?? 0) + (s.outputTokens ?? 0), 0);
          const cost = data.spans.reduce((n, s) => n + (s.costUsd ?? 0), 0);
          const errors = data.spans.filter((s) => s.statusCode === 2).length;
          const agent = data.trace.agent ?? data.spans.find((s) => s.agent)?.agent;
          return (
            <div className="stack">
              <div className="stats">
                <Stat label="Duration" value={formatDuration(end - start)} />
                <Stat label="Spans" value={String(data.spans.length)} />
                <Stat label="Errors" value={String(errors)} />
                <Stat label="Tokens" value={formatCompact(tokens)} />
                <Stat label="Cost" value={formatCost(cost)} />
                <div className="stat">
                  <div className="label">Anomaly score</div>
                  <div className="value">
                    <AnomalyBadge score={data.trace.anomalyScore} count={anomalies.length} />
                  </div>
                </div>
                <Stat label="Started" value={new Date(start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false })} hint={new Date(start).toLocaleDateString()} />
              </div>
              {anomalies.length > 0 && (
                <section className="panel stack" aria-label="Anomalies in this trace" style={{ gap: 8 }}>
                  <h2 style={{ margin: 0 }}>Why this trace is unusual</h2>
                  {anomalies.slice(0, 5).map((a) => (
                    <AnomalyCard key={a.id} a={a} onSelectSpan={select} />
                  ))}
                </section>
              )}
              <section className="panel">
                <h2>Decision chain {agent && <span className="muted small">· {agent}</span>}</h2>
                <DecisionChain spans={data.spans} anomalies={anomalies} agent={agent} selected={selectedId} onSelect={select} />
              </section>
              <div className="grid split-trace">
                <section className="panel">
                  <h2>Waterfall</h2>
                  <Waterfall spans={data.spans} anomalousSpanIds={anomalousSpanIds} selected={selectedId} onSelect={select} />
                </section>
                <section className="panel span-panel">
                  {selected ? <SpanDetails span={selected} anomalies={anomalies.filter((a) => a.spanId === selected.spanId)} /> : <Empty title="Select a span" />}
                </section>
              </div>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

/** The conversation and the user the trace belongs to, when its spans named them. */
function TraceOwners({ sessionId, userId }: { sessionId?: string | null; userId?: string | null }) {
  if (!sessionId && !userId) return null;
  return (
    <div className="row small" style={{ marginTop: 4 }}>
      {sessionId && (
        <span className="row" style={{ gap: 4, minWidth: 0 }}>
          <span className="muted">Session</span>
          <SessionLink sessionId={sessionId} />
        </span>
      )}
      {userId && (
        <span className="row" style={{ gap: 4, minWidth: 0 }}>
          <span className="muted">User</span>
          <UserLink userId={userId} />
        </span>
      )}
    </div>
  );
}
