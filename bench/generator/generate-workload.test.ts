import { describe, expect, it } from "vitest";
import { generateWorkload, SPAN_CLASSES } from "./generate-workload";

const opts = { seed: 7, traces: 4000, startMs: Date.UTC(2026, 0, 5), durationMs: 86_400_000, warmupFraction: 0.25, anomalyRate: 0.01, incidentsPerClass: 2, incidentMs: 300_000 };

describe("generateWorkload", () => {
  const w = generateWorkload(opts);
  it("is deterministic for a seed", () => {
    expect(generateWorkload(opts).traces.map((t) => t.traceId)).toEqual(w.traces.map((t) => t.traceId));
  });
  it.each([
    { name: "produces about the requested traffic", check: () => expect(Math.abs(w.traces.length - 4000)).toBeLessThan(600) },
    { name: "injects no anomaly during warm-up", check: () => expect(w.traces.filter((t) => t.label && t.startMs < w.warmupEndMs)).toEqual([]) },
    { name: "injects every span/trace class", check: () => expect(new Set(w.traces.map((t) => t.label).filter(Boolean))).toEqual(new Set(SPAN_CLASSES)) },
    { name: "plans both incident classes", check: () => expect(w.incidents.map((i) => i.cls).sort()).toEqual(["error_burst", "error_burst", "traffic_surge", "traffic_surge"]) },
    { name: "follows a daily pattern (peak hour busier than trough)", check: () => {
      const at = (h: number) => w.traces.filter((t) => new Date(t.startMs).getUTCHours() === h).length;
      expect(at(15)).toBeGreaterThan(2 * at(3));
    } },
    { name: "every trace has one root agent span ending last", check: () => {
      for (const t of w.traces.slice(0, 200)) {
        const roots = t.spans.filter((s) => s.parentSpanId === null);
        expect(roots).toHaveLength(1);
        expect(roots[0]!.endMs).toBe(Math.max(...t.spans.map((s) => s.endMs)));
      }
    } },
  ])("$name", ({ check }) => check());
});
