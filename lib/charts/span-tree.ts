// Waterfall layout: spans as a depth-first tree with offsets relative to the trace start.

export interface TreeSpanInput {
  spanId: string;
  parentSpanId: string | null;
  startNs: string | number | bigint;
  endNs: string | number | bigint;
}

export interface WaterfallRow<S> {
  span: S;
  depth: number;
  childCount: number;
  offsetMs: number;
  durationMs: number;
}

/** Rows in depth-first order (children by start time); spans whose parent is missing become roots. */
export function buildWaterfall<S extends TreeSpanInput>(spans: readonly S[], collapsed: ReadonlySet<string> = new Set()) {
  if (spans.length === 0) return { rows: [] as WaterfallRow<S>[], totalMs: 0 };
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, S[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  const start = spans.reduce((m, s) => (BigInt(s.startNs) < m ? BigInt(s.startNs) : m), BigInt(spans[0]!.startNs));
  const end = spans.reduce((m, s) => (BigInt(s.endNs) > m ? BigInt(s.endNs) : m), BigInt(spans[0]!.endNs));
  const ms = (ns: bigint) => Number(ns) / 1e6;
  for (const list of children.values()) list.sort((a, b) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : BigInt(a.startNs) > BigInt(b.startNs) ? 1 : 0));
  const rows: WaterfallRow<S>[] = [];
  const seen = new Set<string>();
  const visit = (s: S, depth: number) => {
    if (seen.has(s.spanId)) return; // a cycle in parent links must not hang the page
    seen.add(s.spanId);
    const kids = children.get(s.spanId) ?? [];
    rows.push({ span: s, depth, childCount: kids.length, offsetMs: ms(BigInt(s.startNs) - start), durationMs: Math.max(0, ms(BigInt(s.endNs) - BigInt(s.startNs))) });
    if (!collapsed.has(s.spanId)) for (const k of kids) visit(k, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return { rows, totalMs: Math.max(ms(end - start), 0.001) };
}
