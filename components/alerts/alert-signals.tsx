// The signals of one alert: the headline's kind first, then the related signals (causes first), each
// with how many anomalies showed it and when the first of them happened.
import type { AlertDetailResponse, AlertSignal } from "@/components/data/types";

const label = (s: Pick<AlertSignal, "detector" | "metric">) => `${s.detector.replace(/_/g, " ")} · ${s.metric.replace(/_/g, " ")}`;

export function AlertSignals({ detail }: { detail: Pick<AlertDetailResponse, "signals" | "headline"> }) {
  const { signals, headline } = detail;
  const related = signals.filter((s) => !s.headline);
  const lead = signals.find((s) => s.headline);
  return (
    <section className="panel stack" style={{ gap: 8 }} aria-label="Signals">
      <h2 style={{ margin: 0 }}>Signals ({signals.length})</h2>
      {lead && headline && (
        <div data-testid="headline-signal">
          <div className="row">
            <span className="badge info">Headline</span>
            <strong>{label(lead)}</strong>
            <span className="muted small">× {lead.count}</span>
          </div>
          <div className="small">{headline.explanation}</div>
          <div className="mono muted small ellipsis">{lead.entity}</div>
        </div>
      )}
      {related.length > 0 && (
        <>
          <h3 style={{ margin: "8px 0 0" }}>Related signals</h3>
          <ul className="stack" style={{ margin: 0, paddingLeft: 18, gap: 4 }} data-testid="related-signals">
            {related.map((s) => (
              <li key={`${s.detector}|${s.metric}|${s.entity}`}>
                <span>{label(s)}</span> <span className="muted small">× {s.count} · score {s.maxScore.toFixed(2)}</span>
                <div className="mono muted small ellipsis">
                  {s.entity}
                  {s.firstOccurredAt ? ` · happened ${new Date(s.firstOccurredAt).toLocaleString()}` : ""}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {signals.length > 0 && !lead && <div className="muted small">{signals.length} kinds of signal (this alert predates headlines).</div>}
    </section>
  );
}
