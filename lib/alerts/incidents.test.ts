import { describe, expect, it } from "vitest";
import { fingerprintOf } from "@/lib/detect/types";
import { activeKeyFor } from "./active-key";
import { causeRank, groupIncidents, pickHeadline, traceKeyOf } from "./incidents";
import { relatedSignals, summarizeSignals } from "./signals";
import type { AnomalyForAlert } from "./types";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
let n = 0;

function anomaly(over: Partial<AnomalyForAlert> & Pick<AnomalyForAlert, "detector" | "entity">): AnomalyForAlert {
  const projectId = over.projectId ?? "p1";
  return {
    id: `an${++n}`, projectId, severity: "medium", score: 0.8, explanation: `${over.detector} on ${over.entity}`, traceId: "t1", createdAt: T0,
    fingerprint: fingerprintOf(projectId, over.detector, over.entity), ...over,
  };
}

/** The six signals one looping run of support-agent produced in the issue (5 alerts before). */
function loopingRun(traceId: string): AnomalyForAlert[] {
  const run = "checkout/support-agent";
  return [
    anomaly({ traceId, detector: "loop", metric: "repeated_call", entity: run, score: 0.9, severity: "high" }),
    anomaly({ traceId, detector: "transition", metric: "novel_transition", entity: run, score: 0.97, severity: "critical" }),
    anomaly({ traceId, detector: "transition", metric: "path_surprise", entity: run, score: 0.95, severity: "high" }),
    anomaly({ traceId, detector: "chain_length", metric: "steps", entity: run, score: 0.99, severity: "critical" }),
    anomaly({ traceId, detector: "fanout", metric: "children", entity: run, score: 0.93, severity: "high" }),
    anomaly({ traceId, detector: "latency", metric: "duration_ms", entity: `${run}/chat/gpt-4o`, spanId: "s1", score: 0.92, severity: "high" }),
  ];
}

describe("pickHeadline: cause before consequence, then the strongest", () => {
  const cases: Array<{ name: string; group: () => AnomalyForAlert[]; headline: (g: AnomalyForAlert[]) => AnomalyForAlert }> = [
    { name: "a looping run's six signals: the loop, though chain length scores higher", group: () => loopingRun("t1"), headline: (g) => g[0]! },
    {
      name: "a new tool explains the errors that follow it",
      group: () => [anomaly({ detector: "error", metric: "fast_failure", entity: "s/a/t/-", score: 0.99 }), anomaly({ detector: "transition", metric: "novel_step", entity: "s/a", score: 0.6 })],
      headline: (g) => g[1]!,
    },
    {
      name: "an error explains the novel transition (a fallback path) it led to",
      group: () => [anomaly({ detector: "transition", metric: "novel_transition", entity: "s/a", score: 0.99 }), anomaly({ detector: "error", metric: "error_rate", entity: "s/a/t/-", score: 0.7 })],
      headline: (g) => g[1]!,
    },
    {
      name: "only consequences and symptoms: the most severe",
      group: () => [anomaly({ detector: "latency", entity: "s/a/t/-", severity: "medium", score: 0.99 }), anomaly({ detector: "cost", entity: "s/a/t/-", severity: "high", score: 0.9 })],
      headline: (g) => g[1]!,
    },
    {
      name: "same kind and severity: the highest score",
      group: () => [anomaly({ detector: "latency", entity: "s/a/t/-", score: 0.81 }), anomaly({ detector: "latency", entity: "s/a/u/-", score: 0.85 })],
      headline: (g) => g[1]!,
    },
    {
      name: "same severity and score: the latest",
      group: () => [anomaly({ detector: "latency", entity: "s/a/t/-", createdAt: at(2) }), anomaly({ detector: "latency", entity: "s/a/t/-", createdAt: at(1) })],
      headline: (g) => g[0]!,
    },
  ];
  it.each(cases)("$name", ({ group, headline }) => {
    const g = group();
    expect(pickHeadline(g).id).toBe(headline(g).id);
    expect(pickHeadline([...g].reverse()).id).toBe(headline(g).id);
  });

  it("ranks loop < new step < error < novel transition < everything else", () => {
    const ranks = [
      { detector: "loop", metric: "cycle" }, { detector: "transition", metric: "novel_step" }, { detector: "error", metric: "error_rate" },
      { detector: "transition", metric: "novel_transition" }, { detector: "transition", metric: "path_surprise" }, { detector: "chain_length", metric: "steps" },
    ].map(causeRank);
    expect(ranks).toEqual([0, 1, 2, 3, 4, 4]);
  });
});

describe("groupIncidents", () => {
  const loopKey = activeKeyFor("p1", fingerprintOf("p1", "loop", "checkout/support-agent"));
  const cases: Array<{
    name: string;
    anomalies: () => AnomalyForAlert[];
    openAlerts?: Map<string, string>;
    expected: Array<{ target: string; headline: string; size: number }>;
  }> = [
    {
      name: "a looping run's 6 anomalies are 1 incident headed by the loop",
      anomalies: () => loopingRun("t1"),
      expected: [{ target: `key:${loopKey}`, headline: "loop", size: 6 }],
    },
    {
      name: "two traces with the same cause share the cause's fingerprint",
      anomalies: () => [...loopingRun("t1"), ...loopingRun("t2")],
      expected: [{ target: `key:${loopKey}`, headline: "loop", size: 12 }],
    },
    {
      name: "unrelated traces are separate incidents",
      anomalies: () => [
        anomaly({ traceId: "t1", detector: "latency", entity: "s/a/search/-" }),
        anomaly({ traceId: "t2", detector: "cost", entity: "s/b/chat/gpt-4o" }),
      ],
      expected: [
        { target: `key:${activeKeyFor("p1", fingerprintOf("p1", "latency", "s/a/search/-"))}`, headline: "latency", size: 1 },
        { target: `key:${activeKeyFor("p1", fingerprintOf("p1", "cost", "s/b/chat/gpt-4o"))}`, headline: "cost", size: 1 },
      ],
    },
    {
      name: "repeats of one symptom in many traces still dedup by fingerprint",
      anomalies: () => ["t1", "t2", "t3"].map((traceId) => anomaly({ traceId, detector: "latency", entity: "s/a/search/-" })),
      expected: [{ target: `key:${activeKeyFor("p1", fingerprintOf("p1", "latency", "s/a/search/-"))}`, headline: "latency", size: 3 }],
    },
    {
      name: "a trace whose earlier signals are in an open alert joins it, whatever its new headline",
      anomalies: () => loopingRun("t1").slice(3),
      openAlerts: new Map([[traceKeyOf({ projectId: "p1", traceId: "t1" }), "alert-1"]]),
      expected: [{ target: "alert:alert-1", headline: "chain_length", size: 3 }],
    },
    {
      name: "a rate anomaly never joins the trace it points at",
      anomalies: () => [
        anomaly({ traceId: "t1", detector: "volume", metric: "traces_per_minute", entity: "s/a" }),
        anomaly({ traceId: "t1", detector: "latency", entity: "s/a/search/-" }),
      ],
      expected: [
        { target: `key:${activeKeyFor("p1", fingerprintOf("p1", "volume", "s/a"))}`, headline: "volume", size: 1 },
        { target: `key:${activeKeyFor("p1", fingerprintOf("p1", "latency", "s/a/search/-"))}`, headline: "latency", size: 1 },
      ],
    },
    {
      name: "the same trace id in two projects is two incidents",
      anomalies: () => [anomaly({ projectId: "p1", detector: "loop", entity: "s/a" }), anomaly({ projectId: "p2", detector: "loop", entity: "s/a" })],
      expected: [
        { target: `key:${activeKeyFor("p1", fingerprintOf("p1", "loop", "s/a"))}`, headline: "loop", size: 1 },
        { target: `key:${activeKeyFor("p2", fingerprintOf("p2", "loop", "s/a"))}`, headline: "loop", size: 1 },
      ],
    },
  ];
  it.each(cases)("$name", ({ anomalies, openAlerts, expected }) => {
    const incidents = groupIncidents(anomalies(), openAlerts);
    const got = incidents.map((i) => ({
      target: i.target.kind === "alert" ? `alert:${i.target.alertId}` : `key:${i.target.activeKey}`,
      headline: i.headline.detector,
      size: i.anomalies.length,
    }));
    expect(got.sort((a, b) => a.target.localeCompare(b.target))).toEqual([...expected].sort((a, b) => a.target.localeCompare(b.target)));
  });
});

describe("signals", () => {
  it("lists a looping run's other five signals as related, causes first, one line per kind", () => {
    const run = loopingRun("t1");
    const { signals, omitted } = relatedSignals(run, run[0]!);
    expect(signals.map((s) => `${s.detector}/${s.metric}`)).toEqual([
      "transition/novel_transition", "chain_length/steps", "transition/path_surprise", "fanout/children", "latency/duration_ms",
    ]);
    expect(omitted).toBe(0);
  });

  it("folds a burst of one kind into one signal with its count, strongest example and earliest time", () => {
    const burst = [0.7, 0.95, 0.8].map((score, i) => anomaly({ detector: "latency", entity: "s/a/t/-", score, occurredAt: at(-i * 1000), traceId: `t${i}` }));
    expect(summarizeSignals(burst)).toEqual([expect.objectContaining({ count: 3, score: 0.95, traceId: "t1", occurredAt: at(-2000).toISOString() })]);
  });

  it("lists at most the limit and counts the rest", () => {
    const many = Array.from({ length: 14 }, (_, i) => anomaly({ detector: "latency", entity: `s/a/t${i}/-` }));
    const { signals, omitted } = relatedSignals(many, many[0]!, 10);
    expect([signals.length, omitted]).toEqual([10, 3]);
  });
});
