"use client";
import Link from "next/link";
import { formatCompact, formatCost, formatRelative } from "@/lib/charts/units";
import type { TraceUserRow } from "../data/types";
import { AnomalyBadge, StatusBadge } from "../ui/badges";
import { useRowLink } from "../ui/row-link";
import { useRangeHref } from "../ui/time-range";
import { UserLink, tracesOfHref, userSessionsHref } from "../sessions/id-links";

/** One row per user of the agents, with their figures in the time range. */
export function UserTable({ items, now }: { items: TraceUserRow[]; now: number }) {
  const rowLink = useRowLink();
  const rangeHref = useRangeHref();
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Users">
        <thead>
          <tr>
            <th>Last seen</th>
            <th>User</th>
            <th className="num">Sessions</th>
            <th className="num">Traces</th>
            <th>Errors</th>
            <th className="num col-secondary">Tokens</th>
            <th className="num col-secondary">Cost</th>
            <th className="num">Anomaly</th>
            <th className="col-secondary">First seen</th>
          </tr>
        </thead>
        <tbody>
          {items.map((u) => (
            <tr key={u.userId} {...rowLink(rangeHref(userSessionsHref(u.userId)))} data-user-id={u.userId}>
              <td className="muted small" style={{ whiteSpace: "nowrap" }} title={new Date(u.lastSeenMs).toISOString()}>
                {formatRelative(u.lastSeenMs, now)}
              </td>
              <td className="ellipsis" style={{ maxWidth: 240 }}>
                <UserLink userId={u.userId} className="row-link ellipsis" />
              </td>
              <td className="num">{u.sessionCount}</td>
              <td className="num">
                <Link href={rangeHref(tracesOfHref({ userId: u.userId }))} title={`Traces of ${u.userId}`}>
                  {u.traceCount}
                </Link>
              </td>
              <td>
                <StatusBadge errors={u.errorTraces} />
              </td>
              <td className="num col-secondary">{formatCompact(u.totalTokens)}</td>
              <td className="num col-secondary">{formatCost(u.costUsd)}</td>
              <td className="num">
                <AnomalyBadge score={u.maxAnomalyScore} count={u.anomalyCount} />
              </td>
              <td className="muted small col-secondary" style={{ whiteSpace: "nowrap" }}>
                {formatRelative(u.firstSeenMs, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
