"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { formatCompact, formatCost, formatDuration, formatPercent } from "@/lib/charts/units";
import { DistributionChart } from "@/components/charts/distribution-chart";
import { useAgentStep, useAgentTransitions, useAgents } from "@/components/data/use-resources";
import { useRowLink } from "@/components/ui/row-link";
import { Empty, QueryView } from "@/components/ui/states";
import { TimeRangePicker, useRange } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";

const METRICS = [
  { key: "latency", label: "Latency", format: formatDuration },
  { key: "inputTokens", label: "Input tokens", format: formatCompact },
  { key: "outputTokens", label: "Output tokens", format: formatCompact },
  { key: "cost", label: "Cost", format: formatCost },
] as const;

export default function AgentsPage() {
  const { get, set, params } = useUrlState();
  const pathname = usePathname();
  const rowLink = useRowLink({ replace: true });
  const stepHref = (name: string) => {
    const next = new URLSearchParams(params.toString());
    if (agent) next.set("agent", agent);
    next.set("step", name);
    return `${pathname}?${next.toString()}`;
  };
  const range = useRange("24h");
  const query = useAgents({ range });
  const agent = get("agent") ?? query.data?.agents[0]?.agent;
  const current = query.data?.agents.find((a) => a.agent === agent);
  const steps = current?.steps ?? [];
  const step = get("step") ?? steps[0]?.step;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Agents</h1>
          <div className="sub">Per step: what is usual, where the alert threshold sits, and how the agent moves between steps.</div>
        </div>
        <TimeRangePicker />
      </div>
      <QueryView query={query} rows={6} isEmpty={(d) => d.agents.length === 0} empty={<div className="panel"><Empty title="No agent activity in this range" /></div>}>
        {(data) => (
          <div className="stack">
            <div className="segmented" role="group" aria-label="Agent" style={{ alignSelf: "flex-start", flexWrap: "wrap" }}>
              {data.agents.map((a) => (
                <button key={a.agent} aria-pressed={a.agent === agent} onClick={() => set({ agent: a.agent, step: null })}>
                  {a.agent} <span className="muted small">({formatCompact(a.spans)})</span>
                </button>
              ))}
            </div>
            <section className="panel">
              <h2>Steps of {agent}</h2>
              <div className="table-wrap">
                <table className="table" aria-label="Steps">
                  <thead>
                    <tr>
                      <th>Step</th>
                      <th>Kind</th>
                      <th className="num">Spans</th>
                      <th className="num col-secondary">Errors</th>
                      <th className="num">Avg latency</th>
                      <th className="num col-secondary">Tokens</th>
                      <th className="num col-secondary">Cost</th>
                      <th className="num">Anomalous</th>
                    </tr>
                  </thead>
                  <tbody>
                    {steps.map((s) => {
                      const href = stepHref(s.step);
                      const row = rowLink(href);
                      return (
                        <tr key={`${s.step}-${s.kind}`} {...row} className={`${row.className}${s.step === step ? " selected" : ""}`} aria-selected={s.step === step}>
                          <td>
                            <Link href={href} replace scroll={false} className="row-link" tabIndex={-1}>
                              {s.step}
                            </Link>
                          </td>
                          <td className="muted">{s.kind}</td>
                          <td className="num">{formatCompact(s.spans)}</td>
                          <td className="num col-secondary">{formatPercent(s.spans ? s.errors / s.spans : null)}</td>
                          <td className="num">{formatDuration(s.avgMs)}</td>
                          <td className="num col-secondary">{formatCompact(s.tokens)}</td>
                          <td className="num col-secondary">{formatCost(s.costUsd)}</td>
                          <td className="num">{s.anomalous || ""}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
            <div className="grid grid-2" style={{ alignItems: "start" }}>
              {agent && step && <StepBaseline agent={agent} step={step} />}
              {agent && <Transitions agent={agent} />}
            </div>
          </div>
        )}
      </QueryView>
    </>
  );
}

function StepBaseline({ agent, step }: { agent: string; step: string }) {
  const { get, set } = useUrlState();
  const metricKey = (get("metric") ?? "latency") as (typeof METRICS)[number]["key"];
  const metric = METRICS.find((m) => m.key === metricKey) ?? METRICS[0];
  const query = useAgentStep({ agent, step, metric: metric.key });
  return (
    <section className="panel" aria-label="Step baseline">
      <div className="row" style={{ marginBottom: 8 }}>
        <h2 style={{ margin: 0 }}>
          {step} <span className="muted small">baseline</span>
        </h2>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Metric">
          {METRICS.map((m) => (
            <button key={m.key} aria-pressed={m.key === metric.key} onClick={() => set({ metric: m.key }, { replace: true })}>
              {m.label}
            </button>
          ))}
        </div>
      </div>
      <QueryView query={query} isEmpty={(d) => d.count === 0} empty={<Empty title="No recent values for this step" />}>
        {(d) => {
          const b = d.baselines[0]?.lines;
          const lines = b
            ? [
                { value: b.usual, label: "usual", color: "var(--ok)" },
                { value: b.threshold, label: "alert threshold", color: "var(--bad)" },
              ]
            : [{ value: d.quantiles.p95 ?? 0, label: "p95", color: "var(--warn)" }];
          return (
            <>
              <DistributionChart bins={d.bins} lines={lines} format={metric.format} />
              <div className="row small muted" style={{ marginTop: 6 }}>
                <span>last {d.count} spans · p50 {metric.format(d.quantiles.p50 ?? 0)} · p95 {metric.format(d.quantiles.p95 ?? 0)} · p99 {metric.format(d.quantiles.p99 ?? 0)}</span>
                <span className="spacer" />
                {b ? (
                  <span>
                    baseline from {formatCompact(b.n)} observations; alerts above {metric.format(b.threshold)} ({d.alertBits} bits)
                  </span>
                ) : (
                  <span>no learned baseline yet</span>
                )}
              </div>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function Transitions({ agent }: { agent: string }) {
  const query = useAgentTransitions(agent);
  return (
    <section className="panel" aria-label="Transition table">
      <h2>
        Decision-chain transitions <span className="muted small">over recent runs</span>
      </h2>
      <QueryView query={query} isEmpty={(d) => d.transitions.length === 0} empty={<Empty title="No decision chains yet" />}>
        {(d) => (
          <div className="table-wrap" style={{ maxHeight: 360, overflowY: "auto" }}>
            <table className="table">
              <thead>
                <tr>
                  <th>From</th>
                  <th>To</th>
                  <th className="num">Count</th>
                  <th className="num">Probability</th>
                </tr>
              </thead>
              <tbody>
                {d.transitions.map((t) => (
                  <tr key={`${t.from}-${t.to}`}>
                    <td>{t.from}</td>
                    <td>{t.to}</td>
                    <td className="num">{t.count}</td>
                    <td className="num" style={t.probability < 0.05 ? { color: "var(--warn)", fontWeight: 600 } : undefined}>
                      {formatPercent(t.probability)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="muted small" style={{ marginTop: 6 }}>{d.traces} runs · transitions under 5% are highlighted</div>
          </div>
        )}
      </QueryView>
    </section>
  );
}
