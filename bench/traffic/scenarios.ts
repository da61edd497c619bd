// The adversarial scenarios: clean ones that each isolate one real-world pattern (so a false alert can
// be attributed), the realistic mix of them all, and injected anomalies on a realistic base.
import type { AgentSpec } from "./catalog";
import type { Rng } from "./rng";
import { DAY, HOUR, MINUTE, type InjectionPlan, type PointKind, type ScenarioConfig, type WindowSpec } from "./scenario";
import { ALL_FEATURES, type Features, type World } from "./world";

/** Clean scenarios: 15 minutes of warm-up, then an hour, at 8,000 runs an hour where the daily shape is 1 (≈ 13,000 traces at 13:00 UTC). */
const STD = { shape: "global" as const, start: "2026-03-03T13:00:00Z", durationMs: 75 * MINUTE, warmupMs: 15 * MINUTE, runsPerHour: 8000 };
const clean = (name: string, description: string, features: Partial<Features>, extra: Partial<ScenarioConfig> = {}): ScenarioConfig => ({ name, kind: "clean", description, features, ...STD, ...extra });

/**
 * Realistic base for injections: every behaviour but the platform agent's many tools and the tenants
 * (their keys are too quiet to host episodes) and the coding agent (its long runs are a tenth of the
 * spans; the clean long-runs scenario and the realistic mix have them).
 */
const INJECT_BASE: Partial<Features> = { ...ALL_FEATURES, manyTools: false, quietKeys: false, longRuns: false };

export const CLEAN_SCENARIOS: ScenarioConfig[] = [
  clean("baseline", "4 services (GenAI, OpenInference LangChain and LlamaIndex), lognormal latencies, steady global traffic", {}),
  clean("heavy-tail", "log-t latency noise (ν = 3–5) on LLM calls and tools, rare TCP retransmits / TLS handshakes (+0.2/1/3 s)", { heavyTail: true }),
  clean("cache-mixture", "caches in front of tool backends: hit ≈ 2–6 ms, miss = backend; hit rate follows traffic", { cacheMix: true }),
  clean("retries", "429/5xx with client backoff inside the LLM span (one HTTP span per attempt), framework tool retries and the model retrying a failed call with the same arguments", { retries: true }),
  clean("timeouts", "heavy tails plus client timeouts: slow calls end at the cap (10–180 s) with an error", { heavyTail: true, timeouts: true }),
  clean("prompt-caching", "cached prompt prefixes (Anthropic explicit, OpenAI automatic ≥ 1,024 tokens, 5-minute TTL): cache reads in tokens and cost, faster first token; one instrumentation reports Anthropic's cache-exclusive input tokens", { promptCaching: true }),
  clean("tiny-tokens", "routers and guardrails answering in 1–4 tokens, embeddings of 3–40 tokens", { tinyTokens: true }),
  clean("zero-cost", "self-hosted models: vLLM (no price anywhere, cost absent) and Ollama behind LiteLLM (cost reported as 0)", { zeroCost: true }),
  clean("many-tools", "a platform agent with 42–58 tools of Zipf(1.1) popularity: rare tools and rare transitions", { manyTools: true }),
  clean("polling-loops", "1 % of runs poll an export job: get_job_status with identical arguments 3–40 times", { polling: true }, { }),
  clean("parallel-tools", "parallel tool calls (2–5 at once, started in request order, ending in random order)", { parallelTools: true }),
  clean("sub-agents", "orchestrators invoking sub-agents several times per trace (concurrent research workers, sequential hand-offs)", { subAgents: true }),
  clean("long-runs", "a coding agent with 2–10 minute runs (tests, shell), exported in pieces by the BatchSpanProcessor, the agent span last", { longRuns: true }),
  clean("late-service", "tools executed by an MCP server in a second service: its own exporter and clock skew; one replica delivers a 10-minute backlog late every ~25 minutes", { lateService: true }, { lateFlushEveryMs: 25 * MINUTE }),
  clean("office-hours", "office-hours traffic (CET): ramp at 08:00, lunch dip, silent nights, near-silent weekend; Thursday (warm-up) to Monday", {}, {
    shape: "office", start: "2026-03-05T00:00:00Z", durationMs: 5 * DAY, warmupMs: DAY, runsPerHour: 430,
    quick: { start: "2026-03-07T12:00:00Z", durationMs: 48 * HOUR, warmupMs: 6 * HOUR, runsPerHour: 150 },
  }),
  clean("cron-bursts", "a digest agent launched hourly by cron (≈ 60 runs drained by 6 workers) and a 300-run nightly batch at 02:00", { cron: true }, {
    start: "2026-03-03T22:00:00Z", durationMs: 6 * HOUR, warmupMs: 90 * MINUTE, runsPerHour: 3500, cron: { perHour: 60, nightly: 300 },
    quick: { start: "2026-03-04T01:20:00Z", durationMs: 100 * MINUTE, warmupMs: 35 * MINUTE, runsPerHour: 1000 },
  }),
  clean("quiet-keys", "260 tenant agents with about 20 runs a day each, in their own time zones (per-key baselines never fill)", { quietKeys: true }, {
    start: "2026-03-02T00:00:00Z", durationMs: 3 * DAY, warmupMs: DAY, runsPerHour: 0, onlyAgents: [], unit: "calls",
    quick: { durationMs: 30 * HOUR, warmupMs: 12 * HOUR, tenantRunsPerDay: 6 },
  }),
  clean("prompt-growth", "prompts grow gradually (+50 % over five hours: system prompt edits, memory, a growing RAG corpus)", {}, {
    durationMs: 5 * HOUR, warmupMs: 60 * MINUTE, runsPerHour: 2500, promptGrowth: 1.5,
    quick: { durationMs: 45 * MINUTE, warmupMs: 15 * MINUTE, runsPerHour: 1500 },
  }),
  clean("model-upgrade", "the provider moves gpt-4.1 to a new snapshot: 30 % slower, 5 % longer answers (at most one alert)", {}, {
    modelUpgrade: { model: "gpt-4.1", snapshot: "gpt-4.1-2025-11-20", atFraction: 0.45, latency: 1.3, output: 1.05 },
  }),
  clean("realistic-mix", "all of the above at once (8 services), afternoon peak with two hourly cron bursts", ALL_FEATURES, {
    start: "2026-03-04T13:10:00Z", durationMs: 2 * HOUR, warmupMs: 30 * MINUTE, runsPerHour: 5000, lateFlushEveryMs: 40 * MINUTE, cron: { perHour: 40, nightly: 300 },
    quick: { start: "2026-03-04T13:45:00Z", durationMs: 35 * MINUTE, warmupMs: 15 * MINUTE, runsPerHour: 2000, lateFlushEveryMs: 15 * MINUTE },
  }),
];

// ------------------------------------------------------------------ injections

const POINT_KINDS: PointKind[] = [
  { cls: "spike", size: "3×", inj: { kind: "spike", factor: 3, on: "tool" } },
  { cls: "spike", size: "3×", inj: { kind: "spike", factor: 3, on: "llm" } },
  { cls: "spike", size: "5×", inj: { kind: "spike", factor: 5, on: "tool" } },
  { cls: "spike", size: "5×", inj: { kind: "spike", factor: 5, on: "llm" } },
  { cls: "spike", size: "10×", inj: { kind: "spike", factor: 10, on: "tool" } },
  { cls: "spike", size: "10×", inj: { kind: "spike", factor: 10, on: "llm" } },
  { cls: "token_blowup", size: "output ×10", inj: { kind: "tokens_out", factor: 10 } },
  { cls: "token_blowup", size: "input ×10", inj: { kind: "tokens_in", factor: 10 } },
  { cls: "empty_output", size: "0 tokens", inj: { kind: "empty" } },
  { cls: "novel_tool", size: "unseen tool", inj: { kind: "novel_tool" } },
  { cls: "loop", size: "5 repeats", inj: { kind: "loop", repeats: 5 } },
  { cls: "loop", size: "10 repeats", inj: { kind: "loop", repeats: 10 } },
  // A runaway agent: 3× / 6× the agent's usual maximum of turns (natural chains with polling,
  // sub-agents and parallel calls already reach about twice the turns of a typical run).
  { cls: "chain_length", size: "3× max turns", inj: { kind: "chain", factor: 3 } },
  { cls: "chain_length", size: "6× max turns", inj: { kind: "chain", factor: 6 } },
];

/** Detectors an episode class exercises: episodes on one agent at once must not share any. */
export const USES: Record<string, string[]> = {
  regression: ["latency"], error_rate: ["error"], fast_failure: ["error", "latency", "tokens", "transition", "chain"], price_change: ["cost"],
};

const HOSTS = ["support-agent", "research-agent", "sql-agent", "kb-agent"];

/** An agent's tools, most used first (Zipf rank), without a cache (a backend regression shows in every call) when `plain`. */
function toolsOf(a: AgentSpec, opts: { plain: boolean; maxErrorRate: number }): string[] {
  return a.tools.filter((t) => (!opts.plain || !t.cache) && t.errorRate + t.fastFailRate <= opts.maxErrorRate).map((t) => t.name);
}

export type PlannedWindow = Omit<WindowSpec, "durationMs"> & { minutes: number; slot: number };

/**
 * Three slots. Each host agent has its fast failure alone in slot i mod 3 and, in the other two, a
 * latency regression (2×, then 3×) beside a tool error rate (→ 5 %, then → 20 %); research-agent and
 * its web-researcher also take price changes (×2, then ×5) where the application reports cost.
 */
export function windowEpisodes(world: World): PlannedWindow[] {
  const out: PlannedWindow[] = [];
  const agent = (n: string) => world.agents.get(n)!;
  const key = (a: AgentSpec, tool?: string, model?: string) => ({ service: a.service, agent: a.name, ...(tool ? { tool } : {}), ...(model ? { model } : {}) });
  HOSTS.forEach((name, i) => {
    const a = agent(name);
    const llm = key(a, undefined, a.model.name);
    const tool = key(a, toolsOf(a, { plain: true, maxErrorRate: 1 })[0]);
    // Error rates on the busiest tool that normally fails at most 1.5 % of the time.
    const errTool = key(a, toolsOf(a, { plain: false, maxErrorRate: 0.015 })[0]);
    const [first, second] = [0, 1, 2].filter((s) => s !== i % 3) as [number, number];
    out.push({ cls: "fast_failure", size: "all calls", key: i % 2 ? tool : llm, kind: "fast_fail", value: 1, minutes: 8, slot: i % 3 });
    // Sizes alternate between the LLM step and a tool, so key type and size are not confounded.
    out.push({ cls: "regression", size: "2×", key: i % 2 ? tool : llm, kind: "latency", value: 2, minutes: 30, slot: first });
    // Long enough for 500+ calls of the quieter agents' keys (the target is "within 500 calls").
    out.push({ cls: "error_rate", size: "→ 5 %", key: errTool, kind: "errors", value: 0.05, minutes: 40, slot: first });
    out.push({ cls: "regression", size: "3×", key: i % 2 ? llm : tool, kind: "latency", value: 3, minutes: 30, slot: second });
    out.push({ cls: "error_rate", size: "→ 20 %", key: errTool, kind: "errors", value: 0.2, minutes: 20, slot: second });
    if (name === "research-agent") {
      for (const who of ["research-agent", "web-researcher"]) {
        const b = agent(who);
        out.push({ cls: "price_change", size: "×2", key: key(b, undefined, b.model.name), kind: "price", value: 2, minutes: 25, slot: first });
        out.push({ cls: "price_change", size: "×5", key: key(b, undefined, b.model.name), kind: "price", value: 5, minutes: 25, slot: second });
      }
    }
  });
  return out;
}

function windowsPlan(ctx: { warmupEndMs: number; endMs: number; world: World; rng: Rng }): InjectionPlan {
  const planned = windowEpisodes(ctx.world);
  const slots = 1 + Math.max(...planned.map((w) => w.slot));
  const slotMs = (ctx.endMs - ctx.warmupEndMs) / slots;
  // Episodes take at most 80 % of the slot (recovery before the next); --quick shrinks both.
  const windows = planned.map(({ minutes, slot, ...w }) => {
    const durationMs = Math.min(minutes * MINUTE, 0.8 * slotMs);
    return { ...w, durationMs, startMs: Math.round(ctx.warmupEndMs + slot * slotMs + ctx.rng.uniform(0, 0.2) * (slotMs - durationMs)) };
  });
  return { windows };
}

function trafficPlan(ctx: { warmupEndMs: number; endMs: number; world: World; rng: Rng }): InjectionPlan {
  const services = ["support-bot", "research-svc", "analytics", "kb-service"];
  const kinds: Array<Omit<WindowSpec, "key" | "durationMs"> & { minutes: number }> = [
    { cls: "traffic_drop", size: "to 0", kind: "rate", value: 0, minutes: 10 },
    { cls: "traffic_drop", size: "by 50 %", kind: "rate", value: 0.5, minutes: 25 },
    { cls: "traffic_surge", size: "5×", kind: "rate", value: 5, minutes: 10 },
  ];
  // Slot i: service j gets kind (i + j) mod 3, so each service has each kind once, concurrently with other services' episodes.
  const slotMs = (ctx.endMs - ctx.warmupEndMs) / kinds.length;
  const windows: NonNullable<InjectionPlan["windows"]> = [];
  for (let i = 0; i < kinds.length; i++) {
    services.forEach((service, j) => {
      const k = kinds[(i + j) % kinds.length]!;
      const durationMs = Math.min(k.minutes * MINUTE, 0.65 * slotMs);
      windows.push({ cls: k.cls, size: k.size, kind: k.kind, value: k.value, key: { service }, durationMs, startMs: Math.round(ctx.warmupEndMs + i * slotMs + ctx.rng.uniform(0.1, 0.3) * slotMs) });
    });
  }
  return { windows };
}

export const INJECTED_SCENARIOS: ScenarioConfig[] = [
  {
    name: "inject-points", kind: "injected", features: INJECT_BASE, ...STD, durationMs: 80 * MINUTE, warmupMs: 20 * MINUTE, runsPerHour: 7000, lateFlushEveryMs: 40 * MINUTE, cron: { perHour: 40, nightly: 0 },
    description: "per-run anomalies on the realistic base: latency spikes 3×/5×/10× of the step's median (tool or LLM call), token blow-ups, empty outputs, unseen tools, loops, runaway chains (3× / 6× the usual maximum of turns)",
    plan: () => ({ points: { rate: 0.024, kinds: POINT_KINDS } }),
  },
  {
    name: "inject-windows", kind: "injected", features: INJECT_BASE, ...STD, durationMs: 175 * MINUTE, warmupMs: 25 * MINUTE, runsPerHour: 5500, lateFlushEveryMs: 60 * MINUTE, cron: { perHour: 40, nightly: 0 },
    description: "sustained episodes (several agents at once, one per detector and agent): latency regressions 2×/3× (30 min), tool error rate → 5 % (40 min) / → 20 % (20 min), fast failures (every call of the key fails in ms, 8 min), price changes ×2/×5 (25 min)",
    plan: windowsPlan,
  },
  {
    name: "inject-traffic", kind: "injected", features: INJECT_BASE, ...STD, durationMs: 145 * MINUTE, warmupMs: 40 * MINUTE, runsPerHour: 4000, lateFlushEveryMs: 60 * MINUTE, cron: { perHour: 40, nightly: 0 },
    description: "traffic episodes per service: outage (to 0, 10 min), drop by 50 % (22 min), surge 5× (10 min)",
    plan: trafficPlan,
  },
];

export const ALL_SCENARIOS: ScenarioConfig[] = [...CLEAN_SCENARIOS, ...INJECTED_SCENARIOS];

export function findScenarios(names: readonly string[]): ScenarioConfig[] {
  if (names.length === 0) return ALL_SCENARIOS;
  const out: ScenarioConfig[] = [];
  for (const n of names) {
    const s = ALL_SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario ${n}; known: ${ALL_SCENARIOS.map((x) => x.name).join(", ")}`);
    out.push(s);
  }
  return out;
}
