// Agent inheritance: a span without its own agent takes the agent of its nearest agent ancestor, found
// in the same batch, else among the trace's stored spans. When an ancestor arrives after its descendants,
// the stored descendants that still have no agent get it (bounded to the traces in the batch).
import type { SpanRow } from "./span-row";

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  agent: string | null;
}

export interface AgentUpdate {
  traceId: string;
  spanId: string;
  agent: string;
}

type Node = { parentSpanId: string | null; traceId: string; agent: string | null; own: boolean };

/** Walks up from each node until an agent (own or already resolved) or a missing parent; iterative, cycle-safe. */
function resolveAll(nodes: Map<string, Node>, targets: Iterable<Node>): Map<Node, string | null> {
  const resolved = new Map<Node, string | null>();
  for (const start of targets) {
    if (resolved.has(start)) continue;
    const path: Node[] = [];
    const seen = new Set<Node>();
    let node: Node | undefined = start;
    let agent: string | null = null;
    while (node) {
      if (resolved.has(node)) {
        agent = resolved.get(node)!;
        break;
      }
      if (node.own && node.agent) {
        agent = node.agent;
        break;
      }
      path.push(node);
      seen.add(node);
      const parent: Node | undefined = node.parentSpanId ? nodes.get(node.traceId + node.parentSpanId) : undefined;
      if (!parent || seen.has(parent)) break;
      node = parent;
    }
    for (const n of path) resolved.set(n, agent);
  }
  return resolved;
}

/**
 * Sets row.agent for every row and returns the updates for stored spans whose agent becomes known.
 * `stored` holds the already-stored spans of the batch's traces (empty for new traces).
 */
export function resolveAgents(rows: SpanRow[], stored: StoredSpan[]): AgentUpdate[] {
  const nodes = new Map<string, Node>();
  // Stored spans have their agent already resolved; treat a non-null one as final.
  for (const s of stored) nodes.set(s.traceId + s.spanId, { traceId: s.traceId, parentSpanId: s.parentSpanId, agent: s.agent, own: s.agent !== null });
  const rowNodes = new Map<SpanRow, Node>();
  for (const row of rows) {
    const key = row.traceId + row.spanId;
    if (nodes.get(key)?.own) continue; // duplicate of a stored span: leave the stored one alone
    const node: Node = { traceId: row.traceId, parentSpanId: row.parentSpanId, agent: row.ownAgent, own: row.ownAgent !== null };
    nodes.set(key, node);
    rowNodes.set(row, node);
  }
  const orphans = stored.filter((s) => s.agent === null).map((s) => nodes.get(s.traceId + s.spanId)!);
  const resolved = resolveAll(nodes, [...rowNodes.values(), ...orphans]);
  for (const [row, node] of rowNodes) row.agent = node.own ? node.agent : (resolved.get(node) ?? null);
  const updates: AgentUpdate[] = [];
  for (const s of stored) {
    if (s.agent !== null) continue;
    const agent = resolved.get(nodes.get(s.traceId + s.spanId)!);
    if (agent) updates.push({ traceId: s.traceId, spanId: s.spanId, agent });
  }
  return updates;
}
