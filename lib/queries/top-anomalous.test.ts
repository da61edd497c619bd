import { describe, expect, it } from "vitest";
import { rankAnomalousEntities, type AnomalyForRanking } from "./top-anomalous";

let n = 0;
const a = (entity: string, detector: string, severity: string, score: number, extra: Partial<AnomalyForRanking> = {}): AnomalyForRanking => ({
  id: `a${++n}`, entity, detector, severity, score, traceId: `t${n}`, spanId: `s${n}`, feedback: null, ...extra,
});

describe("rankAnomalousEntities", () => {
  it("ranks by severity, then score, not by count", () => {
    const rows = [
      ...Array.from({ length: 20 }, () => a("svc/agent/frequent", "latency", "low", 0.6)),
      a("svc/agent/rare", "loop", "critical", 0.7),
      a("svc/agent/scored", "tokens", "high", 0.99),
      a("svc/agent/other", "tokens", "high", 0.9),
    ];
    expect(rankAnomalousEntities(rows, 10).map((g) => [g.entity, g.count])).toEqual([
      ["svc/agent/rare", 1],
      ["svc/agent/scored", 1],
      ["svc/agent/other", 1],
      ["svc/agent/frequent", 20],
    ]);
  });

  it("points each group at its worst anomaly and keeps the latest trace", () => {
    const latest = a("e", "latency", "medium", 0.6, { traceId: "latest" });
    const worst = a("e", "latency", "high", 0.8, { traceId: "worst", spanId: "span-w" });
    const higherScoreLowerSeverity = a("e", "latency", "medium", 0.95);
    const [group] = rankAnomalousEntities([latest, worst, higherScoreLowerSeverity], 10);
    expect(group).toMatchObject({ count: 3, severity: "high", maxScore: 0.8, lastTraceId: "latest", worst: { id: worst.id, traceId: "worst", spanId: "span-w" } });
  });

  it("groups by entity and detector and leaves out anomalies marked expected", () => {
    const rows = [a("e", "latency", "high", 0.9, { feedback: "expected" }), a("e", "latency", "low", 0.5), a("e", "tokens", "low", 0.5)];
    const ranked = rankAnomalousEntities(rows, 10);
    expect(ranked.map((g) => [g.detector, g.severity, g.count])).toEqual([
      ["latency", "low", 1],
      ["tokens", "low", 1],
    ]);
  });

  it("keeps the limit and ranks unknown severities lowest", () => {
    const rows = [a("x", "d", "bogus", 0.99), a("y", "d", "info", 0.5), a("z", "d", "low", 0.1)];
    expect(rankAnomalousEntities(rows, 2).map((g) => g.entity)).toEqual(["z", "x"]);
    expect(rankAnomalousEntities([], 5)).toEqual([]);
  });
});
