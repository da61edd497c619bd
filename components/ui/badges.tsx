"use client";

const SEVERITY_TONE: Record<string, string> = { critical: "bad", high: "bad", medium: "warn", low: "info", info: "neutral" };

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge ${SEVERITY_TONE[severity] ?? "neutral"}`}>{severity}</span>;
}

export function StatusBadge({ errors }: { errors: number }) {
  return errors > 0 ? <span className="badge bad">error{errors > 1 ? ` ×${errors}` : ""}</span> : <span className="badge ok">ok</span>;
}

const ALERT_TONE: Record<string, string> = { open: "bad", acknowledged: "warn", resolved: "ok" };
export function AlertStatusBadge({ status }: { status: string }) {
  return <span className={`badge ${ALERT_TONE[status] ?? "neutral"}`}>{status}</span>;
}

/** Anomaly score badge: nothing for unscored or unremarkable traces. */
export function AnomalyBadge({ score, count }: { score: number | null | undefined; count?: number }) {
  if (score === null || score === undefined) return <span className="muted small">–</span>;
  // Below 0.5 nothing crossed an alert threshold: show the number quietly.
  if (score < 0.5) return <span className="muted small" title={`Anomaly score ${score.toFixed(2)}`}>{score.toFixed(2)}</span>;
  const tone = score >= 0.8 ? "bad" : "warn";
  return (
    <span className={`badge ${tone}`} title={`Anomaly score ${score.toFixed(2)}${count ? `, ${count} anomalies` : ""}`} data-testid="anomaly-badge">
      {score.toFixed(2)}
      {count ? ` · ${count}` : ""}
    </span>
  );
}
