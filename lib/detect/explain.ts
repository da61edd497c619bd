// Units and one-line explanations, e.g. "latency 8.4 s vs usual 1.1 s (p99 2.0 s) for support-agent / search_web on gpt-4o".

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatPercent(p: number): string {
  return p < 0.1 ? `${(p * 100).toFixed(1)}%` : `${Math.round(p * 100)}%`;
}

export function formatRate(perMinute: number): string {
  return perMinute < 10 ? perMinute.toFixed(1) : formatCount(perMinute);
}

export type Unit = "ms" | "count" | "usd" | "bits";

export function formatValue(v: number, unit: Unit): string {
  if (unit === "ms") return formatMs(v);
  if (unit === "usd") return formatUsd(v);
  if (unit === "bits") return v.toFixed(1);
  return formatCount(v);
}

/** "support-agent / search_web on gpt-4o" (service when there is no agent). */
export function spanLabel(s: { service: string; agent: string | null; step: string; model: string | null }): string {
  return `${s.agent ?? s.service} / ${s.step}${s.model ? ` on ${s.model}` : ""}`;
}

export function baselineExplanation(what: string, observed: number, usual: number, p99: number, unit: Unit, label: string): string {
  return `${what} ${formatValue(observed, unit)} vs usual ${formatValue(usual, unit)} (p99 ${formatValue(p99, unit)}) for ${label}`;
}

/** "Dec 6 14:02 UTC". */
export function formatSince(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return `${month} ${d.getUTCDate()} ${hh}:${mm} UTC`;
}

/** A lasting change: "latency level shift since Dec 6 14:02 UTC: 3.1 s vs usual 1.1 s for ...". */
export function changeExplanation(what: string, change: { kind: string; sinceMs: number; estimate: number }, before: number, after: number, unit: Unit, label: string): string {
  const since = formatSince(change.sinceMs);
  if (change.kind === "level_up") return `${what} level shift up since ${since}: ${formatValue(after, unit)} vs usual ${formatValue(before, unit)} for ${label}`;
  if (change.kind === "level_down") return `${what} dropped since ${since}: ${formatValue(after, unit)} vs usual ${formatValue(before, unit)} for ${label}`;
  if (change.kind === "variance_up") return `${what} varies ${change.estimate.toFixed(1)}x more than usual since ${since} for ${label}`;
  return `${what} varies ${(1 / Math.max(change.estimate, 1e-3)).toFixed(1)}x less than usual (flat) since ${since} for ${label}`;
}
