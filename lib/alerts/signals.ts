// The signals of an incident as people read them: anomalies of the same kind (detector, metric, entity)
// folded into one line with a count, the causes first. Used by notifications and the alert detail. Pure.
import { causeRank, headsBefore } from "./incidents";
import type { AnomalyForAlert } from "./types";

export interface Signal {
  detector: string;
  metric: string | null;
  entity: string;
  /** Anomalies of this kind in the group. */
  count: number;
  /** Of the strongest anomaly of this kind. */
  score: number;
  severity: string;
  explanation: string;
  traceId: string;
  spanId: string | null;
  /** When the earliest of them happened (ISO 8601), null when not known. */
  occurredAt: string | null;
}

/** How many related signals a notification lists; the rest are counted. */
export const MAX_LISTED_SIGNALS = 10;

export const signalKeyOf = (a: Pick<AnomalyForAlert, "detector" | "metric" | "entity">) => `${a.detector}|${a.metric ?? ""}|${a.entity}`;

/** One signal per kind, causes first, then the strongest. */
export function summarizeSignals(anomalies: readonly AnomalyForAlert[]): Signal[] {
  const groups = new Map<string, { best: AnomalyForAlert; count: number; firstMs: number | null }>();
  for (const a of anomalies) {
    const key = signalKeyOf(a);
    const ms = a.occurredAt ? a.occurredAt.getTime() : null;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { best: a, count: 1, firstMs: ms });
      continue;
    }
    g.count += 1;
    if (headsBefore(a, g.best)) g.best = a;
    if (ms !== null && (g.firstMs === null || ms < g.firstMs)) g.firstMs = ms;
  }
  return [...groups.values()]
    .sort((x, y) => causeRank(x.best) - causeRank(y.best) || y.best.score - x.best.score)
    .map(({ best, count, firstMs }) => ({
      detector: best.detector,
      metric: best.metric ?? null,
      entity: best.entity,
      count,
      score: best.score,
      severity: best.severity,
      explanation: best.explanation,
      traceId: best.traceId,
      spanId: best.spanId ?? null,
      occurredAt: firstMs === null ? null : new Date(firstMs).toISOString(),
    }));
}

/** The signals besides the headline's own kind, at most `limit`, and how many were left out. */
export function relatedSignals(anomalies: readonly AnomalyForAlert[], headline: AnomalyForAlert, limit = MAX_LISTED_SIGNALS): { signals: Signal[]; omitted: number } {
  const headKey = signalKeyOf(headline);
  const related = summarizeSignals(anomalies.filter((a) => signalKeyOf(a) !== headKey));
  return { signals: related.slice(0, limit), omitted: Math.max(0, related.length - limit) };
}
