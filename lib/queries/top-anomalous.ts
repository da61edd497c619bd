// The overview's "most anomalous" list: anomalies grouped by where they happened and which detector saw
// them, ranked by how bad the worst one is (severity, then score), not by how many there were; each group
// points at its worst anomaly so the overview opens it in one click.
import { severityRank } from "@/lib/alerts/severity";

export interface AnomalyForRanking {
  id: string;
  entity: string;
  detector: string;
  score: number;
  severity: string;
  traceId: string;
  spanId: string | null;
  feedback: string | null;
}

export interface AnomalousEntity {
  entity: string;
  detector: string;
  count: number;
  maxScore: number;
  /** The worst anomaly's severity. */
  severity: string;
  /** The first trace in the input order (the latest, when the rows come newest first). */
  lastTraceId: string;
  worst: { id: string; traceId: string; spanId: string | null };
}

const isWorse = (a: AnomalyForRanking, than: { severity: string; maxScore: number }) =>
  severityRank(a.severity) > severityRank(than.severity) || (severityRank(a.severity) === severityRank(than.severity) && a.score > than.maxScore);

export function compareAnomalousEntities(x: AnomalousEntity, y: AnomalousEntity): number {
  return severityRank(y.severity) - severityRank(x.severity) || y.maxScore - x.maxScore || y.count - x.count || x.entity.localeCompare(y.entity) || x.detector.localeCompare(y.detector);
}

/** Groups by entity and detector, leaving out anomalies marked as expected; the `limit` worst groups. */
export function rankAnomalousEntities(rows: readonly AnomalyForRanking[], limit: number): AnomalousEntity[] {
  const groups = new Map<string, AnomalousEntity>();
  for (const a of rows) {
    if (a.feedback === "expected") continue;
    const key = `${a.entity}\u0000${a.detector}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { entity: a.entity, detector: a.detector, count: 1, maxScore: a.score, severity: a.severity, lastTraceId: a.traceId, worst: { id: a.id, traceId: a.traceId, spanId: a.spanId } });
      continue;
    }
    group.count++;
    if (isWorse(a, group)) {
      group.maxScore = a.score;
      group.severity = a.severity;
      group.worst = { id: a.id, traceId: a.traceId, spanId: a.spanId };
    }
  }
  return [...groups.values()].sort(compareAnomalousEntities).slice(0, limit);
}
