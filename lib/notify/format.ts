// Small text helpers shared by the Slack and webhook renderers.

/** Cuts to at most `max` UTF-16 units (never more characters than Slack counts), ending with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Do not leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Slack mrkdwn control characters; everything else is literal. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function formatMetricValue(metric: string | null, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  const m = metric ?? "";
  if (/(^|_)ms$|duration|latency/.test(m)) return value >= 1000 ? `${round(value / 1000)} s` : `${round(value)} ms`;
  if (/cost|usd/.test(m)) return `$${value < 1 ? value.toPrecision(2) : round(value)}`;
  if (/rate|ratio|share/.test(m) && Math.abs(value) <= 1) return `${round(value * 100)}%`;
  return Number.isInteger(value) ? value.toLocaleString("en-US") : String(round(value));
}

function round(value: number): number {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return Number(value.toFixed(digits));
}

export function alertUrl(publicUrl: string, alertId: string): string {
  return `${publicUrl}/alerts/${encodeURIComponent(alertId)}`;
}

export function traceUrl(publicUrl: string, traceId: string): string {
  return `${publicUrl}/traces/${encodeURIComponent(traceId)}`;
}
