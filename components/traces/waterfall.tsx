"use client";
import { useMemo, useState } from "react";
import { buildWaterfall } from "@/lib/charts/span-tree";
import { formatDuration } from "@/lib/charts/units";
import type { Span } from "../data/types";

export function Waterfall({ spans, anomalousSpanIds, selected, onSelect }: { spans: Span[]; anomalousSpanIds: Set<string>; selected?: string; onSelect: (spanId: string) => void }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const { rows, totalMs } = useMemo(() => buildWaterfall(spans, collapsed), [spans, collapsed]);
  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="waterfall" role="tree" aria-label="Span waterfall">
      <div className="wf-row" style={{ cursor: "default", color: "var(--muted)", fontSize: 11.5 }} aria-hidden>
        <div>Span</div>
        <div style={{ position: "relative", height: 16 }}>
          {ticks.map((t) => (
            <span key={t} style={{ position: "absolute", whiteSpace: "nowrap", left: `${t * 100}%`, transform: t === 1 ? "translateX(-100%)" : t > 0 ? "translateX(-50%)" : undefined }}>
              {formatDuration(totalMs * t)}
            </span>
          ))}
        </div>
        <div className="wf-dur">Duration</div>
      </div>
      {rows.map(({ span, depth, childCount, offsetMs, durationMs }) => {
        const anomalous = anomalousSpanIds.has(span.spanId);
        const error = span.statusCode === 2;
        return (
          <div
            key={span.spanId}
            role="treeitem"
            aria-level={depth + 1}
            aria-expanded={childCount > 0 ? !collapsed.has(span.spanId) : undefined}
            aria-selected={selected === span.spanId}
            tabIndex={0}
            data-span-id={span.spanId}
            className={`wf-row${selected === span.spanId ? " selected" : ""}${anomalous ? " anomalous" : ""}`}
            onClick={() => onSelect(span.spanId)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onSelect(span.spanId);
              else if ((e.key === "ArrowLeft" && !collapsed.has(span.spanId)) || (e.key === "ArrowRight" && collapsed.has(span.spanId))) {
                if (childCount > 0) toggle(span.spanId);
              } else if (e.key === "ArrowDown") (e.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
              else if (e.key === "ArrowUp") (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
            }}
          >
            <div className="wf-name" style={{ paddingLeft: depth * 14 }}>
              {childCount > 0 ? (
                <button
                  className="wf-toggle"
                  aria-label={collapsed.has(span.spanId) ? "Expand" : "Collapse"}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(span.spanId);
                  }}
                >
                  {collapsed.has(span.spanId) ? "▸" : "▾"}
                </button>
              ) : (
                <span className="wf-toggle" />
              )}
              <span className={`badge neutral`} style={{ padding: "0 5px", fontSize: 10.5 }}>
                {span.kind}
              </span>
              <span className="ellipsis" title={span.name}>
                {span.name}
              </span>
              {anomalous && <span className="badge bad" style={{ fontSize: 10.5 }}>anomaly</span>}
              {error && <span className="badge bad" style={{ fontSize: 10.5 }}>error</span>}
            </div>
            <div className="wf-track">
              <div
                className={`wf-bar kind-${span.kind}${error ? " error" : ""}${anomalous ? " anomalous" : ""}`}
                style={{ left: `${(offsetMs / totalMs) * 100}%`, width: `${Math.max((durationMs / totalMs) * 100, 0.3)}%` }}
              />
            </div>
            <div className="wf-dur">{formatDuration(durationMs)}</div>
          </div>
        );
      })}
    </div>
  );
}
