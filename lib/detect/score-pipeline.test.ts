// Table-driven tests of the pure pipeline: span scoring, chain scoring and feedback on in-memory state.
import { describe, expect, it } from "vitest";
import { applyFeedback } from "./apply-feedback";
import { createRng } from "./models/rng";
import { scoreSpanBatch } from "./score-spans";
import { scoreRunningLoops, scoreTraces } from "./score-traces";
import { DEFAULT_SETTINGS, resolveSettings } from "./settings";
import { emptyPartitionState, restoreState, takeDirtyRows, type PartitionState } from "./state";

it("state survives a save/restore round trip exactly", () => {
  const st = emptyPartitionState("p0");
  warmLatency(st, 50);
  const back = restoreState("p0", takeDirtyRows(st));
  expect(back.spans).toEqual(st.spans);
  expect(back.rates).toEqual(st.rates);
});
import type { AnomalyDraft, SpanRecord } from "./types";

const T0 = Date.UTC(2026, 10, 1);
let seq = 0;

function toolSpan(over: Partial<SpanRecord> = {}): SpanRecord {
  seq += 1;
  return {
    seq, projectId: "p", traceId: `t${seq}`, spanId: `s${seq}`, parentSpanId: "root", kind: "tool", service: "svc", agent: "support-agent",
    step: "search_web", model: null, startMs: T0 + seq * 1000, endMs: T0 + seq * 1000 + 300, durationMs: 300, statusCode: 1,
    inputTokens: null, outputTokens: null, costUsd: null, argsHash: null, receivedMs: T0, anomalyScore: null, ...over,
  };
}

function warmLatency(st: PartitionState, n: number, settings = DEFAULT_SETTINGS) {
  const rng = createRng(3);
  const spans = Array.from({ length: n }, () => toolSpan({ durationMs: 1100 * Math.exp(0.3 * rng.normal()) }));
  return scoreSpanBatch(st, spans, { settingsFor: () => settings });
}

describe("span scoring", () => {
  it.each([
    { name: "cold start: a spike after 20 observations raises nothing", warm: 20, value: 30_000, anomalies: 0 },
    { name: "warm: an 8 s call against a usual 1.1 s is an anomaly", warm: 400, value: 8_400, anomalies: 1 },
    { name: "warm: a 1.5 s call is normal", warm: 400, value: 1_500, anomalies: 0 },
  ])("$name", ({ warm, value, anomalies }) => {
    const st = emptyPartitionState("p0");
    warmLatency(st, warm);
    const r = scoreSpanBatch(st, [toolSpan({ durationMs: value })], { settingsFor: () => DEFAULT_SETTINGS });
    expect(r.anomalies.filter((a) => a.detector === "latency")).toHaveLength(anomalies);
    for (const s of r.scores.values()) expect(s).toBeGreaterThanOrEqual(0), expect(s).toBeLessThan(1);
  });

  it("explains a latency anomaly in one line with usual value and p99", () => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 400);
    const [a] = scoreSpanBatch(st, [toolSpan({ durationMs: 8_400, model: "gpt-4o" })], { settingsFor: () => DEFAULT_SETTINGS }).anomalies.filter((x) => x.detector === "latency");
    // A new model is a new key: warm that one instead.
    expect(a).toBeUndefined();
    const [b] = scoreSpanBatch(st, [toolSpan({ durationMs: 8_400 })], { settingsFor: () => DEFAULT_SETTINGS }).anomalies as AnomalyDraft[];
    expect(b!.explanation).toMatch(/^latency 8\.4 s vs usual 1\.\d s \(p99 2\.\d s\) for support-agent \/ search_web$/);
    expect(b!.fingerprint).toBe("p:latency:svc/support-agent/search_web/-");
    expect(b!.severity).not.toBe("info");
  });

  it.each([
    { name: "a per-project higher threshold silences the same spike", settings: resolveSettings({ detection: { alertBits: { latency: 200 } } }), anomalies: 0 },
    { name: "a disabled detector is silent", settings: resolveSettings({ disabled: ["latency"] }), anomalies: 0 },
    { name: "minSeverity critical drops a low-severity anomaly", settings: resolveSettings({ minSeverity: "critical" }), anomalies: 0 },
    { name: "defaults report it", settings: DEFAULT_SETTINGS, anomalies: 1 },
  ])("settings: $name", ({ settings, anomalies }) => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 400, settings);
    const r = scoreSpanBatch(st, [toolSpan({ durationMs: 6_000 })], { settingsFor: () => settings });
    expect(r.anomalies.filter((a) => a.detector === "latency")).toHaveLength(anomalies);
  });

  it("a step that starts failing raises an error anomaly", () => {
    const st = emptyPartitionState("p0");
    const rng = createRng(5);
    scoreSpanBatch(st, Array.from({ length: 500 }, () => toolSpan({ statusCode: rng.chance(0.01) ? 2 : 1 })), { settingsFor: () => DEFAULT_SETTINGS });
    const r = scoreSpanBatch(st, Array.from({ length: 10 }, () => toolSpan({ statusCode: 2 })), { settingsFor: () => DEFAULT_SETTINGS });
    const errors = r.anomalies.filter((a) => a.detector === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.explanation).toMatch(/search_web failed \d+ of the last \d+ calls vs usual/);
  });
});

function run(traceId: string, steps: string[], args: Array<string | null> = []): SpanRecord[] {
  const root = toolSpan({ traceId, spanId: `${traceId}-root`, parentSpanId: null, kind: "agent", step: "support-agent" });
  return [root, ...steps.map((step, i) => toolSpan({ traceId, spanId: `${traceId}-${i}`, parentSpanId: root.spanId, step, argsHash: args[i] ?? null, startMs: root.startMs + i }))];
}

describe("chain scoring", () => {
  const usual = ["plan", "search_kb", "plan", "answer"];
  function trained(): PartitionState {
    const st = emptyPartitionState("p0");
    for (let i = 0; i < 300; i++) {
      const steps = i % 3 === 0 ? ["plan", "answer"] : usual;
      scoreTraces(st, [{ projectId: "p", traceId: `w${i}`, spans: run(`w${i}`, steps, steps.map(() => `h${i}-${Math.random()}`)), firstTime: true }], () => DEFAULT_SETTINGS, new Map());
    }
    return st;
  }
  const st = trained();
  it.each<{ name: string; steps: string[]; args: Array<string | null>; includes: string[]; excludes: string[] }>([
    { name: "a usual run", steps: usual, args: [], includes: [], excludes: ["transition", "loop", "chain_length", "fanout"] },
    { name: "a never-seen transition", steps: ["plan", "delete_records", "answer"], args: [], includes: ["transition:novel_transition"], excludes: ["loop", "chain_length"] },
    { name: "the same call repeated with the same arguments", steps: ["plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "plan", "answer"], args: [null, "x", null, "x", null, "x", null, "x"], includes: ["loop:repeated_call", "loop:cycle"], excludes: ["transition"] },
    { name: "a chain five times longer than usual", steps: Array.from({ length: 20 }, (_, i): string => (i % 2 ? "search_kb" : "plan")).concat("plan", "answer"), args: Array.from({ length: 22 }, (_, i) => `u${i}`), includes: ["chain_length:steps"], excludes: ["loop", "transition"] },
  ])("$name", ({ steps, args, includes, excludes }) => {
    const copy = structuredClone(st);
    const r = scoreTraces(copy, [{ projectId: "p", traceId: "x", spans: run("x", steps, args), firstTime: true }], () => DEFAULT_SETTINGS, new Map());
    const got = r.anomalies.map((a) => `${a.detector}:${a.metric}`);
    expect(got).toEqual(expect.arrayContaining(includes));
    for (const d of excludes) expect(got.filter((g) => g.startsWith(`${d}:`))).toEqual([]);
    if (includes.length) expect(r.traces[0]!.score).toBeGreaterThanOrEqual(0.5);
  });

  // A trace still running: its steps so far, without the root (it ends last).
  const running = (steps: string[], args: Array<string | null>) => run("r", steps, args).slice(1);
  it.each<{ name: string; steps: string[]; args: Array<string | null>; metrics: string[] }>([
    { name: "the same call repeated while the trace runs is reported", steps: ["plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "plan", "search_kb"], args: [null, "x", null, "x", null, "x", null, "x"], metrics: ["repeated_call"] },
    { name: "twice is not a loop yet", steps: ["plan", "search_kb", "plan", "search_kb"], args: [null, "x", null, "x"], metrics: [] },
    { name: "a repeating cycle (no arguments) waits for the complete trace", steps: ["plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "plan", "search_kb"], args: [], metrics: [] },
  ])("running trace: $name", ({ steps, args, metrics }) => {
    const copy = structuredClone(st);
    const early = scoreRunningLoops(copy, [{ projectId: "p", traceId: "r", spans: running(steps, args), firstTime: false }], () => DEFAULT_SETTINGS);
    expect(early.map((a) => a.metric)).toEqual(metrics);
    expect(copy).toEqual(st); // nothing learned while running
    if (metrics.length === 0) return;
    // The complete trace raises it again under the same key, with at least the same score.
    const final = scoreTraces(copy, [{ projectId: "p", traceId: "r", spans: run("r", [...steps, "answer"], args), firstTime: true }], () => DEFAULT_SETTINGS, new Map()).anomalies;
    const again = final.find((a) => a.dedupKey === early[0]!.dedupKey);
    expect(again?.score).toBeGreaterThanOrEqual(early[0]!.score);
  });
});

describe("feedback", () => {
  it("a latency value marked expected joins the baseline, so the same value stops alerting", () => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 400);
    const [a] = scoreSpanBatch(st, [toolSpan({ durationMs: 7_000 })], { settingsFor: () => DEFAULT_SETTINGS }).anomalies;
    expect(a).toBeDefined();
    for (let i = 0; i < 3; i++) applyFeedback(st, { id: "a", projectId: "p", detector: a!.detector, metric: a!.metric, entity: a!.entity, observed: a!.observed, details: a!.details });
    expect(scoreSpanBatch(st, [toolSpan({ durationMs: 7_000 })], { settingsFor: () => DEFAULT_SETTINGS }).anomalies).toEqual([]);
  });
  it("a loop marked expected is accepted up to the observed count", () => {
    const st = emptyPartitionState("p0");
    for (let i = 0; i < 200; i++) scoreTraces(st, [{ projectId: "p", traceId: `w${i}`, spans: run(`w${i}`, ["plan", "search_kb", "answer"], [null, `h${i}`]), firstTime: true }], () => DEFAULT_SETTINGS, new Map());
    const loopRun = (id: string) => run(id, ["plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "answer"], [null, "x", null, "x", null, "x"]);
    const first = scoreTraces(st, [{ projectId: "p", traceId: "l1", spans: loopRun("l1"), firstTime: true }], () => DEFAULT_SETTINGS, new Map()).anomalies.find((a) => a.metric === "repeated_call")!;
    expect(first).toBeDefined();
    applyFeedback(st, { id: "f", projectId: "p", detector: "loop", metric: "repeated_call", entity: first.entity, observed: first.observed, details: first.details });
    const again = scoreTraces(st, [{ projectId: "p", traceId: "l2", spans: loopRun("l2"), firstTime: true }], () => DEFAULT_SETTINGS, new Map()).anomalies;
    expect(again.filter((a) => a.metric === "repeated_call")).toEqual([]);
  });
});
