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

/** Observations a step needs under an agent before that agent is taken as the step's usual one. */
const USUAL_AGENT_HISTORY = 20;

/**
 * For a span whose agent span never arrived in time (a run longer than the hold): the one agent its
 * service's step (same model family) has been learned under, or null when there is none or several.
 * `entities` are the learned span keys ("<service>/<agent>/<step>/<family>") with their history sizes.
 */
export function usualAgentOf(entity: { service: string; step: string; family: string }, entities: Iterable<[string, number]>): string | null {
  const prefix = `${entity.service}/`;
  const suffix = `/${entity.step}/${entity.family}`;
  let found: string | null = null;
  for (const [key, n] of entities) {
    if (n < USUAL_AGENT_HISTORY || !key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    const agent = key.slice(prefix.length, key.length - suffix.length);
    if (agent === "-" || agent.includes("/")) continue;
    if (found !== null && found !== agent) return null;
    found = agent;
  }
  return found;
}
