"use client";
import { formatCompact, formatCost, formatDuration, formatRelative } from "@/lib/charts/units";
import type { TraceSessionRow } from "../data/types";
import { AnomalyBadge, StatusBadge } from "../ui/badges";
import { useRowLink } from "../ui/row-link";
import { SessionLink, UserLink, sessionHref } from "./id-links";

/** One row per conversation; `col-secondary` cells are left out on narrow screens (globals.css). */
export function SessionTable({ items, now }: { items: TraceSessionRow[]; now: number }) {
  const rowLink = useRowLink();
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Sessions">
        <thead>
          <tr>
            <th>Last seen</th>
            <th>Session</th>
            <th className="col-secondary">User</th>
            <th className="num">Turns</th>
            <th className="num col-secondary">Duration</th>
            <th>Errors</th>
            <th className="num col-secondary">Tokens</th>
            <th className="num col-secondary">Cost</th>
            <th className="num">Anomaly</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.sessionId} {...rowLink(sessionHref(s.sessionId))} data-session-id={s.sessionId}>
              <td className="muted small" style={{ whiteSpace: "nowrap" }} title={new Date(s.lastSeenMs).toISOString()}>
                {formatRelative(s.lastSeenMs, now)}
              </td>
              <td style={{ maxWidth: 280 }}>
                <SessionLink sessionId={s.sessionId} className="row-link ellipsis" />
                <div className="muted small">started {formatRelative(s.firstSeenMs, now)}</div>
              </td>
              <td className="ellipsis col-secondary" style={{ maxWidth: 180 }}>
                {s.userId ? <UserLink userId={s.userId} /> : <span className="muted">–</span>}
              </td>
              <td className="num">{s.traceCount}</td>
              <td className="num col-secondary">{formatDuration(s.durationMs)}</td>
              <td>
                <StatusBadge errors={s.errorTraces} />
              </td>
              <td className="num col-secondary">{formatCompact(s.totalTokens)}</td>
              <td className="num col-secondary">{formatCost(s.costUsd)}</td>
              <td className="num">
                <AnomalyBadge score={s.maxAnomalyScore} count={s.anomalyCount} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
