"use client";
import Link from "next/link";
import { formatCompact, formatCost, formatDuration, formatPercent } from "@/lib/charts/units";
import { StatCard } from "@/components/charts/stat-card";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { useOverview, type Overview } from "@/components/data/use-resources";
import { SeverityBadge } from "@/components/ui/badges";
import { Empty, QueryView } from "@/components/ui/states";
import { TimeRangePicker, useRange } from "@/components/ui/time-range";

export default function OverviewPage() {
  const range = useRange();
  const query = useOverview({ range });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <div className="sub">What happened, where, how unusual, and what it cost.</div>
        </div>
        <TimeRangePicker />
      </div>
      <QueryView
        query={query}
        rows={8}
        isEmpty={(d) => d.totals.spans === 0 && d.totals.traces === 0 && d.totals.anomalies === 0}
        empty={
          <div className="panel">
            <Empty title="No data in this time range">
              Point an OpenTelemetry SDK at this server (<Link href="/settings?tab=connect">Settings → Connect your app</Link>) or choose a longer range.
            </Empty>
          </div>
        }
      >
        {(d) => <OverviewBody d={d} />}
      </QueryView>
    </>
  );
}

/** "service/agent/step/model" as "agent / step" over "service · model". */
function EntityLabel({ entity }: { entity: string }) {
  const [service, agent, step, model] = entity.split("/");
  if (step === undefined) return <span className="mono small">{entity}</span>;
  return (
    <>
      <div className="ellipsis">
        {agent} / <strong>{step}</strong>
      </div>
      <div className="muted small ellipsis">
        {service}
        {model && model !== "-" ? ` · ${model}` : ""}
      </div>
    </>
  );
}

function OverviewBody({ d }: { d: Overview }) {
  const t = d.totals;
  const rangeMs = d.range.toMs - d.range.fromMs;
  const series = d.series as unknown as Array<Record<string, number | null>>;
  return (
    <div className="stack">
      <div className="stats" data-testid="overview-stats">
        <StatCard label="Traces" value={formatCompact(t.traces)} hint={`${formatCompact(t.spans)} spans`} />
        <StatCard label="Failed runs" value={formatPercent(t.runErrorRate ?? t.spanErrorRate)} hint={`${t.failedRuns} of ${formatCompact(t.agentRuns)} · spans ${formatPercent(t.spanErrorRate)}`} tone={(t.runErrorRate ?? 0) > 0.05 ? "bad" : undefined} />
        <StatCard label={`p95 latency (${d.latencyScope === "llm" ? "LLM" : "spans"})`} value={formatDuration(t.p95Ms)} hint={`p50 ${formatDuration(t.p50Ms)}`} />
        <StatCard label="Tokens" value={formatCompact(t.tokens)} hint={`${formatCompact(t.tokensPerDollar)} tokens per $`} />
        <StatCard label="Cost" value={formatCost(t.costUsd)} hint={`${formatCost(t.costPerTrace)} per trace`} />
        <StatCard label="Per successful trace" value={formatCost(t.costPerSuccessfulTrace)} hint="incl. failed attempts" />
        <StatCard label="Anomalies" value={formatCompact(t.anomalies)} tone={t.anomalies > 0 ? "warn" : undefined} />
        <StatCard label="Open alerts" value={String(t.openAlerts)} tone={t.openAlerts > 0 ? "bad" : undefined} hint={t.openAlerts > 0 ? "see Alerts" : undefined} />
      </div>
      <div className="grid grid-2">
        <section className="panel" aria-label="Latency chart">
          <h2>Latency percentiles</h2>
          <TimeSeriesChart data={series} rangeMs={rangeMs} format={formatDuration} series={[{ key: "p50", label: "p50", color: "var(--chart-1)" }, { key: "p95", label: "p95", color: "var(--chart-2)" }]} />
        </section>
        <section className="panel" aria-label="Error rate chart">
          <h2>Span error rate</h2>
          <TimeSeriesChart data={series} rangeMs={rangeMs} format={(v) => formatPercent(v)} series={[{ key: "errorRate", label: "error rate", color: "var(--bad)" }]} />
        </section>
        <section className="panel" aria-label="Tokens chart">
          <h2>Tokens</h2>
          <TimeSeriesChart kind="area" data={series} rangeMs={rangeMs} format={formatCompact} series={[{ key: "tokens", label: "tokens", color: "var(--chart-1)" }]} />
        </section>
        <section className="panel" aria-label="Cost chart">
          <h2>Cost</h2>
          <TimeSeriesChart kind="area" data={series} rangeMs={rangeMs} format={formatCost} series={[{ key: "costUsd", label: "cost", color: "var(--chart-3)" }]} />
        </section>
        <section className="panel" aria-label="Anomalies chart">
          <h2>Anomalies</h2>
          <TimeSeriesChart kind="bar" data={series} rangeMs={rangeMs} format={formatCompact} series={[{ key: "anomalies", label: "anomalies", color: "var(--chart-4)" }]} />
        </section>
        <section className="panel">
          <h2>Most anomalous agents and steps</h2>
          {d.topAnomalous.length === 0 ? (
            <Empty title="Nothing unusual in this range" />
          ) : (
            <table className="table" style={{ tableLayout: "fixed" }}>
              <thead>
                <tr>
                  <th>Where</th>
                  <th style={{ width: 120 }}>Detector</th>
                  <th className="num" style={{ width: 60 }}>Count</th>
                  <th className="num" style={{ width: 60 }}>Score</th>
                  <th style={{ width: 64 }} />
                </tr>
              </thead>
              <tbody>
                {d.topAnomalous.map((a) => (
                  <tr key={`${a.entity}-${a.detector}`}>
                    <td className="ellipsis" title={a.entity}>
                      <EntityLabel entity={a.entity} />
                    </td>
                    <td>
                      {a.detector} <SeverityBadge severity={a.severity} />
                    </td>
                    <td className="num">{a.count}</td>
                    <td className="num">{a.maxScore.toFixed(2)}</td>
                    <td>
                      <Link href={`/traces/${a.lastTraceId}`} style={{ whiteSpace: "nowrap" }} title="Open the latest trace">
                        trace →
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <div className="grid grid-2">
        <section className="panel">
          <h2>Cost by agent</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Agent</th>
                <th className="num">Runs</th>
                <th className="num">Failed</th>
                <th className="num">Cost</th>
                <th className="num">Per run</th>
                <th className="num">Per successful run</th>
              </tr>
            </thead>
            <tbody>
              {d.byAgent.map((a) => (
                <tr key={a.agent}>
                  <td>
                    <Link href={`/traces?agent=${encodeURIComponent(a.agent)}`}>{a.agent}</Link>
                  </td>
                  <td className="num">{formatCompact(a.runs)}</td>
                  <td className="num">{a.failedRuns}</td>
                  <td className="num">{formatCost(a.costUsd)}</td>
                  <td className="num">{formatCost(a.costPerRun)}</td>
                  <td className="num">{formatCost(a.costPerSuccessfulRun)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>Cost by model</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Calls</th>
                <th className="num">Tokens</th>
                <th className="num">Cost</th>
                <th className="num">Tokens / $</th>
                <th className="num">Avg latency</th>
              </tr>
            </thead>
            <tbody>
              {d.byModel.map((m) => (
                <tr key={m.model}>
                  <td>
                    <Link href={`/traces?model=${encodeURIComponent(m.model)}`}>{m.model}</Link>
                  </td>
                  <td className="num">{formatCompact(m.calls)}</td>
                  <td className="num">{formatCompact(m.tokens)}</td>
                  <td className="num">{formatCost(m.costUsd)}</td>
                  <td className="num">{formatCompact(m.tokensPerDollar)}</td>
                  <td className="num">{formatDuration(m.avgLatencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
