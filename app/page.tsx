"use client";
import Link from "next/link";
import { formatCompact, formatCost, formatDuration, formatPercent } from "@/lib/charts/units";
import { OverviewStats } from "@/components/overview/overview-stats";
import { TopAnomalous } from "@/components/overview/top-anomalous";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { useOverview, type Overview } from "@/components/data/use-resources";
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
        {(d) => <OverviewBody d={d} range={range} />}
      </QueryView>
    </>
  );
}

function OverviewBody({ d, range }: { d: Overview; range: string }) {
  const rangeMs = d.range.toMs - d.range.fromMs;
  const series = d.series as unknown as Array<Record<string, number | null>>;
  return (
    <div className="stack">
      <OverviewStats d={d} range={range} />
      <section className="panel" aria-label="Most anomalous agents and steps">
        <h2>Most anomalous agents and steps</h2>
        <TopAnomalous items={d.topAnomalous} />
      </section>
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
      </div>
      <div className="grid grid-2">
        <section className="panel">
          <h2>Cost by agent</h2>
          <div className="table-wrap">
            <table className="table" aria-label="Cost by agent">
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
                      <Link href={`/traces?range=${range}&agent=${encodeURIComponent(a.agent)}`}>{a.agent}</Link>
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
          </div>
        </section>
        <section className="panel">
          <h2>Cost by model</h2>
          <div className="table-wrap">
            <table className="table" aria-label="Cost by model">
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
                      <Link href={`/traces?range=${range}&model=${encodeURIComponent(m.model)}`}>{m.model}</Link>
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
          </div>
        </section>
      </div>
    </div>
  );
}
