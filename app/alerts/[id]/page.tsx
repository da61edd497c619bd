"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertSignals } from "@/components/alerts/alert-signals";
import { useAlert } from "@/components/data/use-resources";
import { AnomalyCard } from "@/components/traces/anomaly-card";
import { AlertStatusBadge, SeverityBadge } from "@/components/ui/badges";
import { QueryView } from "@/components/ui/states";

const when = (v: string | null | undefined) => (v ? new Date(v).toLocaleString() : "");

export default function AlertPage() {
  const { id } = useParams<{ id: string }>();
  const query = useAlert(id);
  return (
    <>
      <div className="small">
        <Link href="/alerts">← Alerts</Link>
      </div>
      <QueryView query={query} rows={8}>
        {(a) => {
          const events = [
            { at: a.firstSeenAt, text: "Opened: first anomaly seen" },
            ...a.deliveries.map((d) => ({ at: d.deliveredAt ?? d.createdAt, text: `Notification (${d.reason}) to ${d.channel.name}: ${d.status}${d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""}` })),
            ...(a.acknowledgedAt ? [{ at: a.acknowledgedAt, text: "Acknowledged" }] : []),
            ...(a.resolvedAt ? [{ at: a.resolvedAt, text: "Resolved" }] : []),
            { at: a.lastSeenAt, text: `Last anomaly seen (${a.count} in total)` },
          ].sort((x, y) => new Date(x.at).getTime() - new Date(y.at).getTime());
          return (
            <div className="stack">
              <div className="page-header" style={{ marginBottom: 0 }}>
                <div>
                  <div className="row">
                    <AlertStatusBadge status={a.status} />
                    <SeverityBadge severity={a.severity} />
                    <span className="muted small">{a.detector}</span>
                  </div>
                  <h1 style={{ marginTop: 6 }}>{a.title}</h1>
                  <div className="sub">{a.explanation}</div>
                </div>
                <AlertActions alert={a} />
              </div>
              <div className="grid split-alert">
                <div className="stack">
                  <AlertSignals detail={a} />
                  <section className="panel stack" style={{ gap: 8 }}>
                    <h2 style={{ margin: 0 }}>Anomalies ({a.anomalies.length})</h2>
                    {a.anomalies.slice(0, 20).map((an) => (
                      <div key={an.id}>
                        <AnomalyCard a={an} />
                        <div className="small" style={{ marginTop: 2 }}>
                          <Link href={`/traces/${an.traceId}${an.spanId ? `?span=${an.spanId}` : ""}`}>Open trace {an.traceId.slice(0, 12)} →</Link>
                        </div>
                      </div>
                    ))}
                  </section>
                  <section className="panel">
                    <h2>Deliveries</h2>
                    {a.deliveries.length === 0 ? (
                      <div className="muted small">{a.noDeliveryReason}</div>
                    ) : (
                      <table className="table" aria-label="Deliveries">
                        <thead>
                          <tr>
                            <th>Channel</th>
                            <th>Reason</th>
                            <th>Status</th>
                            <th className="num">Attempts</th>
                            <th>Last result</th>
                          </tr>
                        </thead>
                        <tbody>
                          {a.deliveries.map((d) => (
                            <tr key={d.id}>
                              <td>{d.channel.name}</td>
                              <td>{d.reason}</td>
                              <td>
                                <span className={`badge ${d.status === "delivered" ? "ok" : d.status === "failed" ? "bad" : "neutral"}`}>{d.status}</span>
                              </td>
                              <td className="num">{d.attempts}</td>
                              <td className="small muted">{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? "")}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </section>
                </div>
                <div className="stack">
                  <section className="panel">
                    <h2>Timeline</h2>
                    <ol className="timeline">
                      {events.map((e, i) => (
                        <li key={i}>
                          <div className="small muted">{when(e.at)}</div>
                          <div>{e.text}</div>
                        </li>
                      ))}
                    </ol>
                  </section>
                  <section className="panel">
                    <h2>Linked traces</h2>
                    {a.traces.length === 0 && <div className="muted small">None.</div>}
                    <ul style={{ margin: 0, paddingLeft: 18 }}>
                      {a.traces.slice(0, 20).map((t) => (
                        <li key={t.traceId}>
                          <Link href={`/traces/${t.traceId}`} className="mono small">
                            {t.traceId.slice(0, 16)}
                          </Link>{" "}
                          <span className="muted small">· {t.anomalies} anomalies</span>
                        </li>
                      ))}
                    </ul>
                  </section>
                </div>
              </div>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
