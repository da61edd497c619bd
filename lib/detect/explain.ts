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
