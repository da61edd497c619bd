"use client";
import Link from "next/link";
import { formatRelative } from "@/lib/charts/units";
import { AlertActions } from "@/components/alerts/alert-actions";
import { useAlerts } from "@/components/data/use-resources";
import { AlertStatusBadge, SeverityBadge } from "@/components/ui/badges";
import { useRowLink } from "@/components/ui/row-link";
import { Empty, QueryView } from "@/components/ui/states";
import { useUrlState } from "@/components/ui/use-url-state";

const STATUS_FILTERS = [
  { value: "open,acknowledged", label: "Active" },
  { value: "open", label: "Open" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
  { value: "", label: "All" },
];

export default function AlertsPage() {
  const { get, set, params: sp } = useUrlState();
  const rowLink = useRowLink();
  const status = sp.has("status") ? (get("status") ?? "") : "open,acknowledged";
  const severity = get("severity");
  const query = useAlerts({ status: status || undefined, severity });
  const now = Date.now();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Alerts</h1>
          <div className="sub">Anomalies grouped by what they are about; one alert per problem.</div>
        </div>
      </div>
      <div className="filters">
        <div className="segmented" role="group" aria-label="Status">
          {STATUS_FILTERS.map((f) => (
            <button key={f.label} aria-pressed={status === f.value} onClick={() => set({ status: f.value === "open,acknowledged" ? null : f.value || "" }, {})}>
              {f.label}
            </button>
          ))}
        </div>
        <label className="field">
          Severity
          <select className="select" aria-label="Severity" value={severity ?? ""} onChange={(e) => set({ severity: e.target.value })}>
            <option value="">All</option>
            {["critical", "high", "medium", "low"].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="panel">
        <QueryView query={query} rows={6} isEmpty={(d) => d.length === 0} empty={<Empty title="No alerts here">Nothing needs attention with these filters.</Empty>}>
          {(alerts) => (
            <div className="table-wrap">
              <table className="table" aria-label="Alerts">
                <thead>
                  <tr>
                    <th>Status</th>
                    <th>Severity</th>
                    <th>Alert</th>
                    <th className="num col-secondary">Anomalies</th>
                    <th className="col-secondary">Last seen</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {alerts.map((a) => {
                    const href = `/alerts/${a.id}`;
                    return (
                      <tr key={a.id} {...rowLink(href)} data-alert-id={a.id}>
                        <td>
                          <AlertStatusBadge status={a.status} />
                        </td>
                        <td>
                          <SeverityBadge severity={a.severity} />
                        </td>
                        <td style={{ maxWidth: 480 }}>
                          <Link href={href} className="row-link ellipsis" style={{ fontWeight: 600 }} tabIndex={-1}>
                            {a.title}
                          </Link>
                          <div className="muted small ellipsis">{a.explanation}</div>
                        </td>
                        <td className="num col-secondary">{a.count}</td>
                        <td className="muted small col-secondary" style={{ whiteSpace: "nowrap" }}>{formatRelative(new Date(a.lastSeenAt).getTime(), now)}</td>
                        <td>
                          <AlertActions alert={a} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </div>
    </>
  );
}
