"use client";
import Link from "next/link";
import { formatRelative } from "@/lib/charts/units";
import { MarkExpectedButton, UsualRange } from "@/components/traces/anomaly-card";
import { useAnomalies } from "@/components/data/use-resources";
import { SeverityBadge } from "@/components/ui/badges";
import { Pager } from "@/components/ui/pager";
import { Empty, QueryView } from "@/components/ui/states";
import { AnomalyFilters } from "@/components/anomalies/anomaly-filters";
import { anomalyHref } from "@/components/anomalies/anomaly-href";
import { useRange } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";
import { useRowLink } from "@/components/ui/row-link";

const RANGE_MS: Record<string, number> = { "15m": 900_000, "1h": 3_600_000, "6h": 21_600_000, "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000 };

/** The anomalies API filters by `since`; rounded to the minute so the query key (and cache) is stable. */
function sinceFor(range: string): number {
  return Math.floor((Date.now() - (RANGE_MS[range] ?? 86_400_000)) / 60_000) * 60_000;
}

export default function AnomaliesPage() {
  const { get } = useUrlState();
  const rowLink = useRowLink();
  const range = useRange("24h");
  const params = { detector: get("detector"), severity: get("severity"), minScore: get("minScore"), entity: get("entity"), expected: get("expected"), cursor: get("cursor") };
  const query = useAnomalies({ since: sinceFor(range), ...params });
  const now = Date.now();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Anomalies</h1>
          <div className="sub">Each one explains what was unusual, against the usual range for that agent step.</div>
        </div>
      </div>
      <AnomalyFilters />
      <div className="panel">
        <QueryView query={query} rows={8} isEmpty={(d) => d.anomalies.length === 0} empty={<Empty title="No anomalies match">Nothing unusual with these filters in this range.</Empty>}>
          {(data) => (
            <>
              <div className="table-wrap">
                <table className="table" aria-label="Anomalies">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Severity</th>
                      <th className="col-secondary">Detector</th>
                      <th>What</th>
                      <th className="col-secondary">Observed vs usual</th>
                      <th className="num">Score</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {data.anomalies.map((a) => {
                      const href = anomalyHref(a);
                      return (
                        <tr key={a.id} {...rowLink(href)} data-anomaly-id={a.id}>
                          <td className="muted small" style={{ whiteSpace: "nowrap" }} title={`Happened ${new Date(a.occurredAt).toLocaleString()}; detected ${new Date(a.createdAt).toLocaleString()}`}>
                            {formatRelative(new Date(a.occurredAt).getTime(), now)}
                          </td>
                          <td>
                            <SeverityBadge severity={a.severity} />
                          </td>
                          <td className="col-secondary">{a.detector}</td>
                          <td style={{ maxWidth: 420 }}>
                            <Link href={href} className="row-link ellipsis" tabIndex={-1}>
                              {a.explanation}
                            </Link>
                            <div className="mono muted small ellipsis">{a.entity}</div>
                          </td>
                          <td className="small col-secondary">
                            <UsualRange a={a} />
                          </td>
                          <td className="num">{a.score.toFixed(2)}</td>
                          <td>
                            <MarkExpectedButton a={a} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Pager nextCursor={data.nextCursor}>
                <Link href="/alerts" className="small">
                  Alerts →
                </Link>
              </Pager>
            </>
          )}
        </QueryView>
      </div>
    </>
  );
}
