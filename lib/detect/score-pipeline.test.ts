// Table-driven tests of the pure pipeline: span scoring, chain scoring and feedback on in-memory state.
import { describe, expect, it } from "vitest";
import { applyFeedback } from "./apply-feedback";
import { createRng } from "./models/rng";
import { scoreSpanBatch } from "./score-spans";
import { scoreRunningLoops, scoreTraces, type TraceToScore } from "./score-traces";
import { DEFAULT_SETTINGS, resolveSettings, type DetectionSettings } from "./settings";
import { emptyPartitionState, restoreState, takeDirtyRows, type PartitionState } from "./state";
import type { SpanRecord } from "./types";

const T0 = Date.UTC(2026, 10, 2);
let seq = 0;

function toolSpan(over: Partial<SpanRecord> = {}): SpanRecord {
  seq += 1;
  return {
    seq, projectId: "p", traceId: `t${seq}`, spanId: `s${seq}`, parentSpanId: "root", kind: "tool", service: "svc", agent: "support-agent",
    step: "search_web", model: null, startMs: T0 + seq * 30_000, endMs: T0 + seq * 30_000 + 300, durationMs: 300, statusCode: 1,
    inputTokens: null, outputTokens: null, costUsd: null, argsHash: null, receivedMs: T0 + seq * 30_000, anomalyScore: null, ...over,
  };
}

const always = (s: DetectionSettings) => () => s;

function warmLatency(st: PartitionState, n: number, settings = DEFAULT_SETTINGS) {
  const rng = createRng(3);
  const spans = Array.from({ length: n }, () => toolSpan({ durationMs: 1100 * Math.exp(0.3 * rng.normal()) }));
  return scoreSpanBatch(st, spans, always(settings));
}

it("state survives a save/restore round trip", () => {
  const st = emptyPartitionState("p0");
  warmLatency(st, 300);
  const back = restoreState("p0", takeDirtyRows(st));
  const key = [...st.spans.keys()][0]!;
  expect(back.spans.get(key)!.latency.n).toBe(st.spans.get(key)!.latency.n);
  // The reference class of tool spans' tails comes back too.
  expect(back.classes.get("p|tool")!.latency.errors.n).toBe(st.classes.get("p|tool")!.latency.errors.n);
  expect(st.classes.get("p|tool")!.latency.errors.n).toBeGreaterThan(250);
  const probe = toolSpan({ durationMs: 5_000 });
  const a = scoreSpanBatch(structuredClone(st), [probe], always(DEFAULT_SETTINGS)).scores[0]!;
  const b = scoreSpanBatch(back, [probe], always(DEFAULT_SETTINGS)).scores[0]!;
  expect(b).toBeCloseTo(a, 2);
});

it("rows of the earlier state format are dropped on load (the models re-learn)", () => {
  const st = restoreState("p0", [{ key: "p0|span|p|svc/a/x/-", state: JSON.stringify({ latency: { n: 500, my: 1, pe: 0.1 } }) }, { key: "p0|meta||", state: JSON.stringify({ pending: {}, watermarkMs: 5 }) }]);
  expect(st.spans.size).toBe(0);
  expect(st.meta.v).toBe(2);
});

describe("span scoring", () => {
  it.each([
    { name: "cold start: a spike after 20 observations raises nothing", warm: 20, value: 30_000, anomalies: 0 },
    { name: "warm: a 20 s call against a usual 1.1 s is an anomaly", warm: 1500, value: 20_000, anomalies: 1 },
    { name: "warm: a 1.5 s call is normal", warm: 1500, value: 1_500, anomalies: 0 },
  ])("$name", ({ warm, value, anomalies }) => {
    const st = emptyPartitionState("p0");
    warmLatency(st, warm);
    const r = scoreSpanBatch(st, [toolSpan({ durationMs: value })], always(DEFAULT_SETTINGS));
    expect(r.anomalies.filter((a) => a.detector === "latency")).toHaveLength(anomalies);
    for (const s of r.scores.values()) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(1);
    }
  });

  it("explains a latency spike in one line with the usual value and p99", () => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 1500);
    const [b] = scoreSpanBatch(st, [toolSpan({ durationMs: 20_000 })], always(DEFAULT_SETTINGS)).anomalies;
    expect(b!.explanation).toMatch(/^latency 20\.0 s vs usual 1\.\d s \(p99 \d\.\d s\) for support-agent \/ search_web$/);
    expect(b!.fingerprint).toBe("p:latency:svc/support-agent/search_web/-");
    expect(b!.details).toMatchObject({ signal: "spike" });
    expect(b!.severity).not.toBe("info");
  });

  it.each([
    { name: "a smaller false-alarm budget silences a borderline spike", settings: resolveSettings({ detection: { falseAlertsPer10k: 1e-6 } }), anomalies: 0 },
    { name: "a disabled detector is silent", settings: resolveSettings({ disabled: ["latency"] }), anomalies: 0 },
    { name: "minSeverity critical drops a low-severity anomaly", settings: resolveSettings({ minSeverity: "critical" }), anomalies: 0 },
    { name: "defaults report it", settings: DEFAULT_SETTINGS, anomalies: 1 },
  ])("settings: $name", ({ settings, anomalies }) => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 1500, settings);
    const r = scoreSpanBatch(st, [toolSpan({ durationMs: 20_000 })], always(settings));
    expect(r.anomalies.filter((a) => a.detector === "latency")).toHaveLength(anomalies);
  });

  it("a step that starts failing raises an error anomaly", () => {
    const st = emptyPartitionState("p0");
    const rng = createRng(5);
    scoreSpanBatch(st, Array.from({ length: 2000 }, () => toolSpan({ statusCode: rng.chance(0.01) ? 2 : 1 })), always(DEFAULT_SETTINGS));
    const r = scoreSpanBatch(st, Array.from({ length: 20 }, () => toolSpan({ statusCode: 2 })), always(DEFAULT_SETTINGS));
    const errors = r.anomalies.filter((a) => a.detector === "error" && a.metric === "error_rate");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.explanation).toMatch(/search_web failed \d+ of the last \d+ calls vs usual/);
  });

  it.each([
    { name: "failures answered far faster than usual", over: { statusCode: 2, durationMs: 3, outputTokens: 0 }, calls: 20, detector: "error", metric: "fast_failure", signal: "fast_failure", explanation: /failed \d+ of the last \d+ calls .*answering in 3 ms vs usual .*: failing fast$/ },
    { name: "failures as slow as usual", over: { statusCode: 2, outputTokens: 0 }, calls: 20, detector: "error", metric: "error_rate", signal: "rate_increase", explanation: /failed \d+ of the last \d+ calls vs usual [\d.]+ ?% errors/ },
    { name: "an empty completion", over: { outputTokens: 0 }, calls: 1, detector: "tokens", metric: "output_tokens", signal: "empty", explanation: /output of 0 tokens vs usual .*: empty or truncated$/ },
  ])("$name: its own signal", ({ over, calls, detector, metric, signal, explanation }) => {
    const st = emptyPartitionState("p0");
    const rng = createRng(9);
    const llm = (extra: Partial<SpanRecord> = {}) => toolSpan({ kind: "llm", step: "chat gpt-4o", model: "gpt-4o", durationMs: 900 * Math.exp(0.2 * rng.normal()), inputTokens: 1200, outputTokens: Math.round(250 * Math.exp(0.3 * rng.normal())), ...extra });
    scoreSpanBatch(st, Array.from({ length: 3000 }, () => llm(rng.chance(0.01) ? { statusCode: 2, outputTokens: 0 } : {})), always(DEFAULT_SETTINGS));
    const r = scoreSpanBatch(st, Array.from({ length: calls }, () => llm(over)), always(DEFAULT_SETTINGS));
    const hits = r.anomalies.filter((a) => a.detector === detector);
    expect(hits.map((a) => a.metric)).toEqual([metric]);
    expect(hits[0]!.details).toMatchObject({ signal });
    expect(hits[0]!.explanation).toMatch(explanation);
  });

  it.each([
    // Without the resolution rule 7 of these 300 calls were reported (the key's tail is a few hundredths wide).
    { name: "calls 12 % dearer than their tokens' price are hardly ever a cost spike, however narrow the key", factor: 1.12, probes: 300, atLeast: 0, atMost: 1 },
    { name: "a call priced 20x its tokens is a cost spike", factor: 20, probes: 1, atLeast: 1, atMost: 1 },
  ])("$name", ({ factor, probes, atLeast, atMost }) => {
    const st = emptyPartitionState("p0");
    const rng = createRng(12);
    // Priced from its tokens give or take half a percent; its history holds the odd 20x price spike (1 in 1,000).
    let calls = 0;
    const llm = (priceFactor: number) => {
      const inputTokens = Math.round(2000 * Math.exp(0.5 * rng.normal()));
      const outputTokens = Math.round(200 * Math.exp(0.5 * rng.normal()));
      const startMs = T0 + ++calls * 30_000;
      return toolSpan({ kind: "llm", step: "chat gpt-4o", model: "gpt-4o", startMs, endMs: startMs + 900, receivedMs: startMs + 900, durationMs: 900, inputTokens, outputTokens, costUsd: (priceFactor * Math.exp(0.005 * rng.normal()) * (2.5 * inputTokens + 10 * outputTokens)) / 1e6 });
    };
    scoreSpanBatch(st, Array.from({ length: 20_000 }, () => llm(rng.chance(0.001) ? 20 : 1)), always(DEFAULT_SETTINGS));
    const found = Array.from({ length: probes }, () => scoreSpanBatch(st, [llm(factor)], always(DEFAULT_SETTINGS)).anomalies).flat();
    const spikes = found.filter((a) => a.detector === "cost" && a.details.signal === "spike").length;
    expect(spikes).toBeGreaterThanOrEqual(atLeast);
    expect(spikes).toBeLessThanOrEqual(atMost);
  });

  it("a lasting 3x regression is one level-shift anomaly, not a storm", () => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 3000);
    const rng = createRng(4);
    const r = scoreSpanBatch(st, Array.from({ length: 500 }, () => toolSpan({ durationMs: 3300 * Math.exp(0.3 * rng.normal()) })), always(DEFAULT_SETTINGS));
    const latency = r.anomalies.filter((a) => a.detector === "latency");
    expect(latency.map((a) => a.details.signal)).toEqual(["level_shift"]);
    expect(latency[0]!.explanation).toMatch(/^latency level shift up since .* UTC: \d\.\d s vs usual 1\.\d s for support-agent \/ search_web$/);
  });
});

function run(traceId: string, steps: string[], args: Array<string | null> = []): SpanRecord[] {
  const root = toolSpan({ traceId, spanId: `${traceId}-root`, parentSpanId: null, kind: "agent", step: "support-agent" });
  return [root, ...steps.map((step, i) => toolSpan({ traceId, spanId: `${traceId}-${i}`, parentSpanId: root.spanId, step, argsHash: args[i] ?? null, startMs: root.startMs + i * 10, endMs: root.startMs + i * 10 + 5 }))];
}

const complete = (traceId: string, spans: SpanRecord[]): TraceToScore => ({ projectId: "p", traceId, spans, learn: true, complete: true });

describe("chain scoring", () => {
  const usual = ["plan", "search_kb", "plan", "answer"];
  /** Runs of 1 + Poisson(1) search iterations, fresh arguments each time (no repeated calls). */
  function trained(runs = 3000): PartitionState {
    const st = emptyPartitionState("p0");
    const rng = createRng(12);
    for (let i = 0; i < runs; i++) {
      const steps = ["plan"];
      for (let k = rng.poisson(1) + (i % 3 === 0 ? 0 : 1); k > 0; k--) steps.push("search_kb", "plan");
      steps.push("answer");
      scoreTraces(st, [complete(`w${i}`, run(`w${i}`, steps, steps.map((_, j) => `h${i}-${j}`)))], always(DEFAULT_SETTINGS));
    }
    return st;
  }
  const st = trained();
  // A project whose settled agents have made a million calls without a new step (the pooled reference class).
  st.meta.novelty.p!.settledCalls += 1_000_000;
  it.each<{ name: string; steps: string[]; args: Array<string | null>; includes: string[]; excludes: string[] }>([
    { name: "a usual run", steps: usual, args: [], includes: [], excludes: ["transition", "loop", "chain_length", "fanout"] },
    { name: "a tool the agent never used", steps: ["plan", "delete_records", "answer"], args: [], includes: ["transition:novel_step"], excludes: ["loop", "chain_length"] },
    { name: "the same call repeated with the same arguments (an agent stuck)", steps: [...Array.from({ length: 16 }, (_, i): string => (i % 2 ? "search_kb" : "plan")), "plan", "answer"], args: Array.from({ length: 16 }, (_, i) => (i % 2 ? "x" : null)), includes: ["loop:repeated_call"], excludes: ["transition:novel_step"] },
    { name: "a chain eight times longer than usual", steps: Array.from({ length: 40 }, (_, i): string => (i % 2 ? "search_kb" : "plan")).concat("plan", "answer"), args: Array.from({ length: 42 }, (_, i) => `u${i}`), includes: ["chain_length:steps"], excludes: ["loop"] },
  ])("$name", ({ steps, args, includes, excludes }) => {
    const copy = structuredClone(st);
    const r = scoreTraces(copy, [complete("x", run("x", steps, args))], always(DEFAULT_SETTINGS));
    const got = r.anomalies.map((a) => `${a.detector}:${a.metric}`);
    expect(got).toEqual(expect.arrayContaining(includes));
    for (const d of excludes) expect(got.filter((g) => g === d || g.startsWith(`${d}:`))).toEqual([]);
    if (includes.length) expect(r.traces[0]!.score).toBeGreaterThanOrEqual(0.5);
  });

  it("a partial trace (still running) is judged without its end and learned only when complete", () => {
    const copy = structuredClone(st);
    const before = copy.chains.get("p|svc/support-agent")!.runs;
    const partial = scoreTraces(copy, [{ projectId: "p", traceId: "r", spans: run("r", ["plan", "search_kb"]), learn: false, complete: false }], always(DEFAULT_SETTINGS));
    expect(partial.anomalies.filter((a) => a.detector === "transition")).toEqual([]);
    expect(copy.chains.get("p|svc/support-agent")!.runs).toBe(before);
  });

  // A trace still running: its steps so far, without the root (it ends last).
  const running = (steps: string[], args: Array<string | null>) => run("r", steps, args).slice(1);
  it.each<{ name: string; steps: string[]; args: Array<string | null>; metrics: string[] }>([
    { name: "the same call repeated while the trace runs is reported", steps: Array.from({ length: 16 }, (_, i): string => (i % 2 ? "search_kb" : "plan")), args: Array.from({ length: 16 }, (_, i) => (i % 2 ? "x" : null)), metrics: ["repeated_call"] },
    { name: "twice is not a loop yet", steps: ["plan", "search_kb", "plan", "search_kb"], args: [null, "x", null, "x"], metrics: [] },
    { name: "a repeating cycle (no arguments) waits for the complete trace", steps: ["plan", "search_kb", "plan", "search_kb", "plan", "search_kb", "plan", "search_kb"], args: [], metrics: [] },
  ])("running trace: $name", ({ steps, args, metrics }) => {
    const copy = structuredClone(st);
    const early = scoreRunningLoops(copy, [{ projectId: "p", traceId: "r", spans: running(steps, args), learn: false, complete: false }], always(DEFAULT_SETTINGS));
    expect(early.map((a) => a.metric)).toEqual(metrics);
    expect(copy.chains.get("p|svc/support-agent")!.runs).toBe(st.chains.get("p|svc/support-agent")!.runs);
    if (metrics.length === 0) return;
    // The complete trace raises it again under the same key, with at least the same score.
    const final = scoreTraces(copy, [complete("r", run("r", [...steps, "answer"], args))], always(DEFAULT_SETTINGS)).anomalies;
    const again = final.find((a) => a.dedupKey === early[0]!.dedupKey);
    expect(again?.score).toBeGreaterThanOrEqual(early[0]!.score);
  });
});

describe("feedback", () => {
  it("a latency value marked expected joins the baseline, so the same value stops alerting", () => {
    const st = emptyPartitionState("p0");
    warmLatency(st, 1500);
    const [a] = scoreSpanBatch(st, [toolSpan({ durationMs: 20_000 })], always(DEFAULT_SETTINGS)).anomalies;
    expect(a).toBeDefined();
    for (let i = 0; i < 3; i++) applyFeedback(st, { id: "a", projectId: "p", detector: a!.detector, metric: a!.metric, entity: a!.entity, observed: a!.observed, details: a!.details });
    expect(scoreSpanBatch(st, [toolSpan({ durationMs: 20_000 })], always(DEFAULT_SETTINGS)).anomalies).toEqual([]);
  });
  it("a fast failure marked expected restarts the error evidence and leaves the latency baseline alone", () => {
    const st = emptyPartitionState("p0");
    const rng = createRng(9);
    const llm = (extra: Partial<SpanRecord> = {}) => toolSpan({ kind: "llm", step: "chat gpt-4o", model: "gpt-4o", durationMs: 900 * Math.exp(0.2 * rng.normal()), inputTokens: 1200, outputTokens: 250, ...extra });
    scoreSpanBatch(st, Array.from({ length: 3000 }, () => llm(rng.chance(0.01) ? { statusCode: 2, outputTokens: 0 } : {})), always(DEFAULT_SETTINGS));
    const fast = scoreSpanBatch(st, Array.from({ length: 20 }, () => llm({ statusCode: 2, durationMs: 3, outputTokens: 0 })), always(DEFAULT_SETTINGS)).anomalies.find((a) => a.metric === "fast_failure")!;
    expect(fast).toBeDefined();
    const ks = [...st.spans.values()][0]!;
    const latencyBefore = structuredClone(ks.latency);
    applyFeedback(st, { id: "f", projectId: "p", detector: fast.detector, metric: fast.metric, entity: fast.entity, observed: fast.observed, details: fast.details });
    expect(ks.latency).toEqual(latencyBefore);
    // With the evidence restarted, one more failure is not yet a new alarm.
    expect(scoreSpanBatch(st, [llm({ statusCode: 2, durationMs: 3, outputTokens: 0 })], always(DEFAULT_SETTINGS)).anomalies.filter((a) => a.detector === "error")).toEqual([]);
  });

  it("a loop marked expected is accepted up to the observed count", () => {
    const st = emptyPartitionState("p0");
    for (let i = 0; i < 2000; i++) scoreTraces(st, [complete(`w${i}`, run(`w${i}`, ["plan", "search_kb", "answer"], [null, `h${i}`]))], always(DEFAULT_SETTINGS));
    const loopRun = (id: string) => run(id, [...Array.from({ length: 16 }, (_, i): string => (i % 2 ? "search_kb" : "plan")), "answer"], Array.from({ length: 16 }, (_, i) => (i % 2 ? "x" : null)));
    const first = scoreTraces(st, [complete("l1", loopRun("l1"))], always(DEFAULT_SETTINGS)).anomalies.find((a) => a.metric === "repeated_call")!;
    expect(first).toBeDefined();
    applyFeedback(st, { id: "f", projectId: "p", detector: "loop", metric: "repeated_call", entity: first.entity, observed: first.observed, details: first.details });
    const again = scoreTraces(st, [complete("l2", loopRun("l2"))], always(DEFAULT_SETTINGS)).anomalies;
    expect(again.filter((a) => a.metric === "repeated_call")).toEqual([]);
  });
});
