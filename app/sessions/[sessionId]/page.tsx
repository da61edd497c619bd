"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { formatCompact, formatCost, formatDuration } from "@/lib/charts/units";
import { StatCard } from "@/components/charts/stat-card";
import { SessionTurn } from "@/components/sessions/session-turn";
import { UserLink, tracesOfHref } from "@/components/sessions/id-links";
import { useTraceSession } from "@/components/data/use-resources";
import { CopyButton } from "@/components/ui/copy-button";
import { Pager } from "@/components/ui/pager";
import { QueryView } from "@/components/ui/states";
import { RangeLink } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";

const when = (ms: number) => new Date(ms).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });

export default function SessionPage() {
  const params = useParams<{ sessionId: string }>();
  const sessionId = decodedParam(params.sessionId);
  const { get } = useUrlState();
  const query = useTraceSession(sessionId, { cursor: get("cursor") });
  return (
    <>
      <div className="page-header">
        <div style={{ minWidth: 0, maxWidth: "100%" }}>
          <div className="small">
            <RangeLink href="/sessions">← Sessions</RangeLink>
          </div>
          <h1>Session</h1>
          <div className="row sub">
            <span className="mono ellipsis" style={{ maxWidth: "min(520px, 70vw)" }} title={sessionId}>
              {sessionId}
            </span>
            <CopyButton text={sessionId} label="Copy id" />
          </div>
        </div>
      </div>
      <QueryView query={query} rows={8}>
        {(data) => {
          const s = data.session;
          return (
            <div className="stack">
              <div className="row small">
                <span className="muted">User</span>
                {s.userId ? <UserLink userId={s.userId} /> : <span className="muted">–</span>}
                <span className="muted">·</span>
                <Link href={tracesOfHref({ sessionId }, "30d")}>These turns in the traces list</Link>
              </div>
              <div className="stats">
                <StatCard label="Turns" value={String(s.traceCount)} />
                <StatCard label="Duration" value={formatDuration(s.durationMs)} hint="first turn to last" />
                <StatCard label="Failed turns" value={String(s.errorTraces)} tone={s.errorTraces > 0 ? "bad" : undefined} />
                <StatCard
                  label="Anomalies"
                  value={String(s.anomalyCount)}
                  tone={s.anomalyCount > 0 ? "warn" : undefined}
                  hint={s.maxAnomalyScore === null ? "not scored yet" : `highest turn score ${s.maxAnomalyScore.toFixed(2)}`}
                />
                <StatCard label="Tokens" value={formatCompact(s.totalTokens)} />
                <StatCard label="Cost" value={formatCost(s.costUsd)} />
                <StatCard label="First seen" value={when(s.firstSeenMs)} />
                <StatCard label="Last seen" value={when(s.lastSeenMs)} />
              </div>
              <section className="panel" aria-label="Conversation">
                <h2>Conversation</h2>
                <ol className="turns">
                  {data.turns.map((turn) => (
                    <SessionTurn key={turn.traceId} turn={turn} />
                  ))}
                </ol>
                <Pager nextCursor={data.nextCursor}>
                  <span className="muted small">
                    {data.turns.length} of {s.traceCount} turns on this page
                  </span>
                </Pager>
              </section>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}

/** The route parameter as the id it encodes (an id with a stray "%" that is not an escape stays as it is). */
function decodedParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
