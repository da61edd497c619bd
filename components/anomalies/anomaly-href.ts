/** An anomaly opens on its trace, with its span selected when it has one. */
export function anomalyHref(a: { traceId: string; spanId: string | null }): string {
  return `/traces/${encodeURIComponent(a.traceId)}${a.spanId ? `?span=${encodeURIComponent(a.spanId)}` : ""}`;
}
