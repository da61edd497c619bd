// Formatting of the units Argus shows: durations, tokens, dollars, percentages, counts.

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms === 0) return "0";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${seconds}s`;
}

export function formatCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(abs >= 1e10 ? 0 : 1)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(abs >= 1e4 ? 0 : 1)}k`;
  if (Number.isInteger(n) || abs >= 100) return String(Math.round(n));
  return n.toFixed(abs < 10 ? 2 : 1);
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "–";
  if (usd === 0) return "$0";
  const abs = Math.abs(usd);
  if (abs < 0.01) return `$${usd.toFixed(4)}`;
  if (abs < 100) return `$${usd.toFixed(2)}`;
  return `$${formatCompact(usd)}`;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
  if (ratio === 0) return "0%";
  return `${(ratio * 100).toFixed(Math.abs(ratio) < 0.01 ? Math.max(digits, 2) : digits)}%`;
}

/** Value of a metric in its own unit, for "observed 4.2 s vs usual 0.8–1.5 s". */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (/latency|duration|_ms$/i.test(metric)) return formatDuration(value);
  if (/cost|usd/i.test(metric)) return formatCost(value);
  if (/rate|ratio/i.test(metric)) return formatPercent(value);
  return formatCompact(value);
}

export function formatTime(ms: number, rangeMs: number): string {
  const d = new Date(ms);
  const hh = String(d.getHours()).padStart(2, "0");
  const mm = String(d.getMinutes()).padStart(2, "0");
  if (rangeMs <= 36 * 3600_000) return `${hh}:${mm}`;
  return `${d.getMonth() + 1}/${d.getDate()} ${hh}:${mm}`;
}

export function formatRelative(ms: number, nowMs: number): string {
  const diff = Math.max(0, nowMs - ms);
  if (diff < 60_000) return `${Math.round(diff / 1000)}s ago`;
  if (diff < 3600_000) return `${Math.round(diff / 60_000)}m ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3600_000)}h ago`;
  return `${Math.round(diff / 86_400_000)}d ago`;
}
