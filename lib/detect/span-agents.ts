// Which agent a span belongs to, as far as the trace's spans seen so far tell. A span without its own
// agent takes its nearest ancestor's; when an ancestor has not arrived yet (exporters send children
// before the agent span that ends after them), the answer is "not yet": the scorer holds the span back
// rather than learn it under no agent and split the key by export timing.
import type { SpanRecord } from "./types";

/** The agent (null = none: a root or an ancestor chain without one), or undefined while an ancestor is missing. */
export function resolvedAgent(span: SpanRecord, byId: ReadonlyMap<string, SpanRecord>): string | null | undefined {
  let cur: SpanRecord | undefined = span;
  for (let hops = 0; cur && hops < 1000; hops++) {
    if (cur.agent !== null) return cur.agent;
    if (cur.parentSpanId === null) return null;
    cur = byId.get(cur.parentSpanId);
  }
  return undefined;
}
