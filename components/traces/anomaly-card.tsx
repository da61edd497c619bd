"use client";
import Link from "next/link";
import { formatMetric } from "@/lib/charts/units";
import type { AnomalySummary } from "../data/types";
import { useApiMutation } from "../data/use-resources";
import { SeverityBadge } from "../ui/badges";

export function UsualRange({ a }: { a: AnomalySummary }) {
  const usual =
    a.expectedLow !== null && a.expectedHigh !== null
      ? `${formatMetric(a.metric, a.expectedLow)} – ${formatMetric(a.metric, a.expectedHigh)}`
      : a.expected !== null
        ? `≈ ${formatMetric(a.metric, a.expected)}`
        : null;
  return (
    <span className="range">
      observed <strong>{formatMetric(a.metric, a.observed)}</strong>
      {usual && <span className="muted"> · usual {usual}</span>}
    </span>
  );
}

export function MarkExpectedButton({ a }: { a: AnomalySummary }) {
  const mutation = useApiMutation<void>(() => ({ path: `/api/v1/anomalies/${a.id}/feedback`, method: "POST", body: { feedback: "expected" } }), [["anomalies"], ["trace"], ["alerts"], ["alert"], ["overview"]]);
  if (a.feedback === "expected") return <span className="badge neutral">marked expected</span>;
  return (
    <>
      <button className="btn small" onClick={(e) => (e.stopPropagation(), mutation.mutate())} disabled={mutation.isPending}>
        Mark as expected
      </button>
      {mutation.error && <span className="small" style={{ color: "var(--bad)" }}>{mutation.error.message}</span>}
    </>
  );
}

export function AnomalyCard({ a, onSelectSpan }: { a: AnomalySummary; onSelectSpan?: (spanId: string) => void }) {
  return (
    <div className="anomaly-card" data-testid="anomaly-card">
      <div className="row">
        <SeverityBadge severity={a.severity} />
        <strong>{a.detector}</strong>
        <span className="muted small">{a.metric}</span>
        <span className="spacer" />
        <span className="small muted">score {a.score.toFixed(2)}</span>
      </div>
      <div style={{ margin: "6px 0" }}>{a.explanation}</div>
      <div className="row small">
        <UsualRange a={a} />
        <span className="spacer" />
        {a.spanId && onSelectSpan && (
          <button className="btn small" onClick={() => onSelectSpan(a.spanId!)}>
            Show span
          </button>
        )}
        {a.alertId && <Link href={`/alerts/${a.alertId}`}>Alert →</Link>}
        <MarkExpectedButton a={a} />
      </div>
    </div>
  );
}
