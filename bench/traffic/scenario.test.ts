import { describe, expect, it } from "vitest";
import { buildScenario, MINUTE, type ScenarioConfig } from "./scenario";
import { ALL_SCENARIOS, USES, windowEpisodes } from "./scenarios";
import { ALL_FEATURES, buildWorld } from "./world";

const cfg: ScenarioConfig = {
  name: "test-mix", kind: "injected", description: "", features: { ...ALL_FEATURES, quietKeys: false }, shape: "global", start: "2026-03-03T13:00:00Z",
  durationMs: 20 * MINUTE, warmupMs: 5 * MINUTE, runsPerHour: 3000, lateFlushEveryMs: 8 * MINUTE, cron: { perHour: 20, nightly: 0 },
  plan: ({ warmupEndMs }) => ({
    points: { rate: 0.05, kinds: [{ cls: "loop", size: "5 repeats", inj: { kind: "loop", repeats: 5 } }, { cls: "spike", size: "5×", inj: { kind: "spike", factor: 5, on: "tool" } }] },
    windows: [{ cls: "error_rate", size: "→ 20 %", key: { service: "support-bot", agent: "support-agent", tool: "create_ticket" }, kind: "errors", value: 0.2, durationMs: 5 * MINUTE, startMs: warmupEndMs + MINUTE }],
  }),
};

describe("buildScenario", () => {
  const a = buildScenario(cfg, { seed: 7, scale: 1 });

  it("is deterministic for a seed and differs across seeds", () => {
    const b = buildScenario(cfg, { seed: 7, scale: 1 });
    expect(b.requests.map((r) => [r.receivedMs, r.service, r.spans.map((s) => s.spanId).join()])).toEqual(a.requests.map((r) => [r.receivedMs, r.service, r.spans.map((s) => s.spanId).join()]));
    expect(b.episodes).toEqual(a.episodes);
    const c = buildScenario(cfg, { seed: 8, scale: 1 });
    expect(c.traces.map((t) => t.traceId)).not.toEqual(a.traces.map((t) => t.traceId));
  });

  it("delivers every span of every run once, each trace with one root", () => {
    const seen = new Set<string>();
    const roots = new Map<string, number>();
    for (const r of a.requests) {
      for (const s of r.spans) {
        expect(seen.has(s.spanId)).toBe(false);
        seen.add(s.spanId);
        if (s.parentSpanId === null) roots.set(s.traceId, (roots.get(s.traceId) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(a.stats.spans - a.stats.droppedSpans);
    for (const t of a.traces) expect(roots.get(t.traceId)).toBe(1);
  });

  it("uses several services and both conventions", () => {
    const services = new Set(a.requests.map((r) => r.service));
    expect(services.size).toBeGreaterThanOrEqual(5);
    const keys = new Set(a.requests.flatMap((r) => r.spans.flatMap((s) => s.attrs.map(([k]) => k))));
    expect(keys.has("gen_ai.operation.name") && keys.has("openinference.span.kind")).toBe(true);
  });

  it("injects only after warm-up and labels the injected traces", () => {
    const byId = new Map(a.traces.map((t) => [t.traceId, t]));
    const points = a.episodes.filter((e) => e.cls !== "error_rate");
    expect(points.length).toBeGreaterThan(5);
    for (const e of points) {
      expect(e.startMs).toBeGreaterThanOrEqual(a.warmupEndMs);
      expect(e.traceIds).toHaveLength(1);
      expect(byId.get(e.traceIds[0]!)!.episodes).toContain(e.id);
    }
    const window = a.episodes.find((e) => e.cls === "error_rate")!;
    expect(window.callEndMs.length).toBeGreaterThan(10);
    expect(window.callSpanIds).toHaveLength(window.callEndMs.length);
    for (const t of window.callEndMs) expect(t).toBeGreaterThanOrEqual(window.startMs);
  });

  it("injects loops as the same tool with the same arguments, repeated", () => {
    const loop = a.episodes.find((e) => e.cls === "loop")!;
    const spans = a.requests.flatMap((r) => r.spans).filter((s) => s.traceId === loop.traceIds[0]);
    const calls = new Map<string, number>();
    for (const s of spans) {
      const tool = s.attrs.find(([k]) => k === "gen_ai.tool.name" || k === "tool.name")?.[1];
      const args = s.attrs.find(([k]) => k === "gen_ai.tool.call.arguments" || k === "input.value")?.[1];
      if (tool && args && !s.name.startsWith("tools/call")) calls.set(`${tool}${args}`, (calls.get(`${tool}${args}`) ?? 0) + 1);
    }
    expect(Math.max(...calls.values())).toBeGreaterThanOrEqual(5);
  });
});

describe("scenario catalogue", () => {
  it("has unique names and every clean pattern of issue 16", () => {
    const names = ALL_SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ["heavy-tail", "cache-mixture", "retries", "timeouts", "prompt-caching", "tiny-tokens", "zero-cost", "many-tools", "polling-loops", "parallel-tools", "sub-agents", "long-runs", "late-service", "office-hours", "cron-bursts", "quiet-keys", "prompt-growth", "model-upgrade", "realistic-mix"]) {
      expect(names).toContain(n);
    }
  });

  it("plans window episodes so that one agent never hosts two sharing a detector at once", () => {
    const world = buildWorld({ ...ALL_FEATURES, quietKeys: false, manyTools: false }, 1);
    const planned = windowEpisodes(world);
    for (const a of planned) {
      for (const b of planned) {
        if (a === b || a.slot !== b.slot || a.key.agent !== b.key.agent) continue;
        expect(USES[a.cls]!.filter((d) => USES[b.cls]!.includes(d))).toEqual([]);
      }
    }
    expect(new Set(planned.map((w) => `${w.cls} ${w.size}`)).size).toBe(7);
  });
});
