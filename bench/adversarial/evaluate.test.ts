import { describe, expect, it } from "vitest";
import type { Episode, TraceTruth } from "../traffic/types";
import { classResult, evaluateScenario, overall, type AnomalyLike, type TruthLike } from "./evaluate";

const S = 1000;
const trace = (traceId: string, startMs: number, episodes: string[] = [], service = "svc", agent = "agent"): TraceTruth => ({ traceId, service, agent, startMs, endMs: startMs + 5 * S, episodes });
const anomaly = (detector: string, traceId: string, createdAtMs: number, extra: Partial<AnomalyLike> = {}): AnomalyLike => ({ detector, metric: "m", entity: "svc/agent", traceId, spanId: "s1", createdAtMs, alertId: "al1", ...extra });
const episode = (e: Partial<Episode> & Pick<Episode, "id" | "cls" | "size">): Episode => ({ key: { service: "svc", agent: "agent" }, startMs: 0, endMs: 0, traceIds: [], callEndMs: [], callSpanIds: [], ...e });

describe("evaluateScenario on clean traffic", () => {
  // 20,000 clean traces after a warm-up of 100 s; anomalies during warm-up and after the end are not counted.
  const traces = Array.from({ length: 20_100 }, (_, i) => trace(`t${i}`, i * S));
  const truth: TruthLike = { traces, episodes: [], warmupEndMs: 100 * S, endMs: 20_100 * S, unit: "traces" };
  const ev = evaluateScenario(truth, [anomaly("latency", "t5", 50 * S), anomaly("latency", "t500", 501 * S), anomaly("loop", "t900", 901 * S), anomaly("volume", "t9", 20_200 * S)]);

  it.each([
    { name: "clean units after warm-up", got: ev.cleanUnits, want: 20_000 },
    { name: "false alerts", got: ev.falseAlerts, want: 2 },
    { name: "per 10,000", got: ev.falsePer10k, want: 1 },
    { name: "after the end", got: ev.afterEnd, want: 1 },
  ])("$name", ({ got, want }) => expect(got).toBe(want));

  it("breaks false alerts down by detector", () => expect(ev.falseByDetector).toEqual({ latency: 1, loop: 1 }));
});

describe("evaluateScenario with injections", () => {
  const traces = [
    trace("a", 200 * S, ["spike#0"]), trace("b", 210 * S, ["loop#1"]), trace("c", 220 * S, ["err#2"]), trace("d", 230 * S, ["err#2"]),
    trace("e", 240 * S), trace("f", 250 * S), trace("g", 260 * S, [], "other"),
  ];
  const episodes: Episode[] = [
    episode({ id: "spike#0", cls: "spike", size: "5×", startMs: 200 * S, endMs: 205 * S, traceIds: ["a"], callEndMs: [205 * S], callSpanIds: ["sa"] }),
    episode({ id: "loop#1", cls: "loop", size: "5 repeats", startMs: 210 * S, endMs: 215 * S, traceIds: ["b"] }),
    episode({
      id: "err#2", cls: "error_rate", size: "→ 5 %", key: { service: "svc", agent: "agent", tool: "x" }, startMs: 220 * S, endMs: 400 * S, traceIds: ["c", "d"],
      callEndMs: Array.from({ length: 600 }, (_, i) => 220 * S + i * 300), callSpanIds: Array.from({ length: 600 }, (_, i) => `c${i}`),
    }),
  ];
  const truth: TruthLike = { traces, episodes, warmupEndMs: 100 * S, endMs: 1000 * S, unit: "traces" };
  const anomalies = [
    anomaly("latency", "a", 207 * S), // spike detected
    anomaly("transition", "b", 216 * S), // wrong detector for a loop: explained but not a detection
    anomaly("error", "c", 260 * S, { spanId: "c130" }), // 131st call of the episode
    anomaly("error", "d", 270 * S, { spanId: "c160", alertId: "al2" }),
    anomaly("error_rate", "e", 300 * S, { spanId: null, entity: "svc" }), // rate anomaly of the service during the episode, on another trace
    anomaly("error_rate", "g", 300 * S, { spanId: null, entity: "other" }), // another service: unexplained
    anomaly("latency", "f", 500 * S), // unexplained
    anomaly("latency", "f", 1100 * S), // after the end, unexplained: not counted
  ];
  const ev = evaluateScenario(truth, anomalies);
  const byId = new Map(ev.episodes.map((e) => [e.id, e]));

  it("ignores unexplained rows after the end", () => expect(ev.afterEnd).toBe(1));

  it("detects the spike by trace and misses the loop (no loop detector row)", () => {
    expect(byId.get("spike#0")!.detected).toBe(true);
    expect(byId.get("loop#1")!.detected).toBe(false);
  });

  it("counts the window episode's delay in calls from the span that tripped the detector", () => {
    const e = byId.get("err#2")!;
    expect(e).toMatchObject({ detected: true, delayCalls: 131, delaySeconds: 40, rows: 3, alerts: 2 });
  });

  it("explains by trace or by service and time; the rest are false alerts", () => {
    expect(ev.measured).toBe(7);
    expect(ev.explained).toBe(5);
    expect(ev.falseAlerts).toBe(2);
    expect(ev.precision).toBeCloseTo(5 / 7);
    expect(ev.cleanUnits).toBe(3);
  });

  it("scores classes against their targets", () => {
    const err = ev.classes.find((c) => c.cls === "error_rate")!;
    expect(err).toMatchObject({ injected: 1, detected: 1, withinTarget: 1, pass: false }); // 3 rows: a storm
    const spike = ev.classes.find((c) => c.cls === "spike")!;
    expect(spike).toMatchObject({ recall: 1, pass: true });
    const loop = ev.classes.find((c) => c.cls === "loop")!;
    expect(loop).toMatchObject({ recall: 0, pass: false });
  });

  it("sums precision and recall over scenarios", () => {
    const o = overall([ev, ev]);
    expect(o).toMatchObject({ injected: 6, detected: 4, measured: 14, explained: 10 });
    expect(o.f1).toBeCloseTo((2 * (10 / 14) * (4 / 6)) / (10 / 14 + 4 / 6));
  });
});

describe("what window episodes explain", () => {
  const traces = [trace("s1", 200 * S, ["surge#0"]), trace("s2", 201 * S, ["surge#0"]), trace("r1", 202 * S, ["reg#1"], "svc2"), trace("r2", 203 * S, ["reg#1"], "svc2")];
  const episodes = [
    episode({ id: "surge#0", cls: "traffic_surge", size: "5×", startMs: 200 * S, endMs: 800 * S, traceIds: ["s1", "s2"] }),
    episode({ id: "reg#1", cls: "regression", size: "2×", key: { service: "svc2", agent: "agent", tool: "x" }, startMs: 200 * S, endMs: 800 * S, traceIds: ["r1", "r2"] }),
  ];
  const ev = evaluateScenario({ traces, episodes, warmupEndMs: 100 * S, endMs: 1000 * S, unit: "traces" }, [
    anomaly("transition", "s1", 300 * S), // a surge's traces are normal traces
    anomaly("volume", "s2", 300 * S, { spanId: null }),
    anomaly("latency", "r1", 300 * S),
    anomaly("loop", "r2", 300 * S), // a regression does not make loops
  ]);
  it("explains only rows the episode can cause", () => {
    expect(ev.explained).toBe(2);
    expect(ev.falseByDetector).toEqual({ transition: 1, loop: 1 });
  });
});

describe("a watched change (model upgrade)", () => {
  it("counts the rows about the upgraded model's calls after the upgrade", () => {
    const traces = Array.from({ length: 10 }, (_, i) => trace(`t${i}`, 200 * S + i * S));
    const watch = { label: "m upgrade", fromMs: 300 * S, spanIds: ["u1", "u2"], entityIncludes: "gpt-x", max: 1 };
    const ev = evaluateScenario({ traces, episodes: [], warmupEndMs: 100 * S, endMs: 1000 * S, unit: "traces", watch }, [
      anomaly("latency", "t1", 310 * S, { spanId: "u1" }), anomaly("latency", "t2", 320 * S, { spanId: "u2" }),
      anomaly("cost_rate", "t3", 330 * S, { spanId: null, entity: "svc/gpt-x" }), anomaly("latency", "t4", 250 * S, { spanId: "u1" }),
      anomaly("loop", "t5", 340 * S),
    ]);
    expect(ev.watched).toEqual({ label: "m upgrade", rows: 3, max: 1 });
    expect(ev.falseAlerts).toBe(5);
  });
});

describe("classResult", () => {
  it.each([
    { name: "within 200 calls", delays: [50, 150, 190], target: true },
    { name: "one episode too slow", delays: [50, 150, 250], target: false },
  ])("regression 2×: $name", ({ delays, target }) => {
    const r = classResult(delays.map((d, i) => ({ id: `r${i}`, cls: "regression", size: "2×", key: { service: "s" }, detected: true, delaySeconds: d, delayCalls: d, calls: 400, rows: 1, alerts: 1 })));
    expect(r.pass).toBe(target);
    expect(r.delayCalls).toEqual({ p50: 150, max: delays[2] });
  });

  it("has no verdict where the issue sets no target", () => {
    expect(classResult([{ id: "x", cls: "spike", size: "3×", key: { service: "s" }, detected: false, delaySeconds: null, delayCalls: null, calls: 1, rows: 0, alerts: 0 }]).pass).toBeNull();
  });
});
