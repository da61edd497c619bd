"use client";
// The overview's headline figures, each a link to the list it summarises, in the same time range.
import { formatCompact, formatCost, formatDuration, formatPercent } from "@/lib/charts/units";
import { StatCard } from "../charts/stat-card";
import type { Overview } from "../data/types";

export function OverviewStats({ d, range }: { d: Overview; range: string }) {
  const t = d.totals;
  const traces = (params = "") => `/traces?range=${range}${params}`;
  return (
    <div className="stats" data-testid="overview-stats">
      <StatCard label="Traces" value={formatCompact(t.traces)} hint={`${formatCompact(t.spans)} spans`} href={traces()} />
      <StatCard label="Failed runs" value={formatPercent(t.runErrorRate ?? t.spanErrorRate)} hint={`${t.failedRuns} of ${formatCompact(t.agentRuns)} · spans ${formatPercent(t.spanErrorRate)}`} tone={(t.runErrorRate ?? 0) > 0.05 ? "bad" : undefined} href={traces("&status=error")} />
      <StatCard label={`p95 latency (${d.latencyScope === "llm" ? "LLM" : "spans"})`} value={formatDuration(t.p95Ms)} hint={`p50 ${formatDuration(t.p50Ms)}`} href={traces("&sort=duration&dir=desc")} />
      <StatCard label="Tokens" value={formatCompact(t.tokens)} hint={`${formatCompact(t.tokensPerDollar)} tokens per $`} href={`/agents?range=${range}&metric=inputTokens`} />
      <StatCard label="Cost" value={formatCost(t.costUsd)} hint={`${formatCost(t.costPerTrace)} per trace`} href={traces("&sort=cost&dir=desc")} />
      <StatCard label="Per successful trace" value={formatCost(t.costPerSuccessfulTrace)} hint="incl. failed attempts" href={`/agents?range=${range}&metric=cost`} />
      <StatCard label="Anomalies" value={formatCompact(t.anomalies)} tone={t.anomalies > 0 ? "warn" : undefined} href={`/anomalies?range=${range}`} />
      <StatCard label="Open alerts" value={String(t.openAlerts)} tone={t.openAlerts > 0 ? "bad" : undefined} hint={t.openAlerts > 0 ? "see Alerts" : undefined} href="/alerts" />
    </div>
  );
}
