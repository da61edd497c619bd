"use client";
import Link from "next/link";
import { formatCompact, formatCost, formatDuration, formatRelative } from "@/lib/charts/units";
import type { TraceListItem } from "../data/types";
import { AnomalyBadge, StatusBadge } from "../ui/badges";
import { useRowLink } from "../ui/row-link";
import { useUrlState } from "../ui/use-url-state";

/** `secondary` columns are left out on narrow screens (globals.css). */
const COLUMNS: { key: string; label: string; sort?: string; num?: boolean; secondary?: boolean }[] = [
  { key: "start", label: "Started", sort: "start" },
  { key: "name", label: "Trace" },
  { key: "agent", label: "Agent", secondary: true },
  { key: "status", label: "Status" },
  { key: "duration", label: "Duration", sort: "duration", num: true },
  { key: "spans", label: "Spans", sort: "spans", num: true, secondary: true },
  { key: "tokens", label: "Tokens", num: true, secondary: true },
  { key: "cost", label: "Cost", sort: "cost", num: true, secondary: true },
  { key: "score", label: "Anomaly", sort: "score", num: true },
];

export function TraceTable({ items, now }: { items: TraceListItem[]; now: number }) {
  const rowLink = useRowLink();
  const { get, set } = useUrlState();
  const sort = get("sort") ?? "start";
  const dir = get("dir") ?? "desc";
  const toggleSort = (key: string) => set({ sort: key, dir: sort === key && dir === "desc" ? "asc" : "desc", cursor: null });
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Traces">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} className={[c.num ? "num" : "", c.secondary ? "col-secondary" : ""].join(" ").trim() || undefined} aria-sort={c.sort === sort ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                {c.sort ? (
                  <button onClick={() => toggleSort(c.sort!)}>
                    {c.label} {c.sort === sort ? (dir === "asc" ? "↑" : "↓") : ""}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((t) => {
            const href = `/traces/${t.traceId}`;
            return (
              <tr key={t.traceId} {...rowLink(href)} data-trace-id={t.traceId}>
                <td className="muted small" style={{ whiteSpace: "nowrap" }} title={new Date(t.startMs).toISOString()}>
                  {formatRelative(t.startMs, now)}
                </td>
                <td style={{ maxWidth: 320 }}>
                  <Link href={href} className="row-link ellipsis" tabIndex={-1}>
                    {t.name ?? <span className="muted">(unnamed)</span>}
                  </Link>
                  <div className="mono muted small ellipsis">{t.traceId.slice(0, 16)}</div>
                </td>
                <td className="ellipsis col-secondary" style={{ maxWidth: 180 }}>
                  {t.agent ?? <span className="muted">–</span>}
                  {t.service && <div className="muted small">{t.service}</div>}
                </td>
                <td>
                  <StatusBadge errors={t.errorCount} />
                </td>
                <td className="num">{formatDuration(t.durationMs)}</td>
                <td className="num col-secondary">{t.spanCount}</td>
                <td className="num col-secondary">{formatCompact(t.totalTokens)}</td>
                <td className="num col-secondary">{formatCost(t.costUsd)}</td>
                <td className="num">
                  <AnomalyBadge score={t.anomalyScore} count={t.anomalyCount} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
