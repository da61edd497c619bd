// A scenario = a world (services, agents, features), a traffic shape, optional injections; built into
// the export requests a server would receive (with their receive times) and the ground truth.
import { cronArrivals, SHAPE_MAX, sessionArrivals, shapeAt, tenantArrivals, type Shape } from "./arrivals";
import type { ModelSpec } from "./catalog";
import { exportSpans, type LateWindow } from "./exporter";
import { Rng } from "./rng";
import { RunSimulator, type RunInjection, type RunPlan, type SimEnv, type WindowEffect } from "./simulate";
import type { AnomalyClass, Episode, EpisodeKey, ScenarioTraffic, SimSpan, TraceTruth } from "./types";
import { buildWorld, NO_FEATURES, type Features, type World } from "./world";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A per-run injection kind with its class and size label. */
export interface PointKind {
  cls: AnomalyClass;
  size: string;
  inj: RunInjection;
}

/** A window episode before it is placed in time. */
export interface WindowSpec {
  cls: AnomalyClass;
  size: string;
  key: EpisodeKey;
  kind: WindowEffect["kind"];
  value: number;
  durationMs: number;
}

export interface InjectionPlan {
  /** Probability per run (after warm-up) of carrying one of `kinds` (taken in turn). */
  points?: { rate: number; kinds: PointKind[]; agents?: string[] };
  /** Window episodes, placed by the scenario (absolute times). */
  windows?: Array<WindowSpec & { startMs: number }>;
}

export interface ScenarioConfig {
  name: string;
  kind: "clean" | "injected";
  description: string;
  features: Partial<Features>;
  shape: Shape;
  /** ISO start time (UTC). */
  start: string;
  durationMs: number;
  warmupMs: number;
  /** Entry runs per hour where the shape is 1. */
  runsPerHour: number;
  /** --quick: these settings instead of the default shrinking (warm-up × 0.4, measured time × scale, rate × 0.6). */
  quick?: Partial<Omit<ScenarioConfig, "quick" | "name" | "kind">>;
  /** SD of the slowly varying log traffic level (over-dispersion); default 0.15. */
  levelSd?: number;
  /** Prompt tokens multiply by this much over the whole duration, linearly. */
  promptGrowth?: number;
  /** From `atFraction` of the duration on, the model answers with a new snapshot, slower by `latency`. */
  modelUpgrade?: { model: string; snapshot: string; atFraction: number; latency: number; output: number };
  /** A replica of the MCP tool server delivers a 10-minute backlog late, once per this period. */
  lateFlushEveryMs?: number;
  cron?: { perHour: number; nightly: number };
  tenantRunsPerDay?: number;
  unit?: "traces" | "calls";
  /** Only these entry agents start runs (default: all). */
  onlyAgents?: string[];
  plan?: (ctx: { startMs: number; warmupEndMs: number; endMs: number; world: World; rng: Rng }) => InjectionPlan;
}

export interface BuildOptions {
  seed: number;
  /** 1 = full size; --quick uses less. */
  scale: number;
}

/** The configuration a scale gives, and its times. */
export function scaled(base: ScenarioConfig, scale: number): { cfg: ScenarioConfig; startMs: number; warmupEndMs: number; endMs: number; rateScale: number } {
  const startMs = Date.parse(base.quick?.start && scale < 1 ? base.quick.start : base.start);
  if (scale >= 1) return { cfg: base, startMs, warmupEndMs: startMs + base.warmupMs, endMs: startMs + base.durationMs, rateScale: 1 };
  if (base.quick) {
    const cfg = { ...base, ...base.quick };
    return { cfg, startMs, warmupEndMs: startMs + cfg.warmupMs, endMs: startMs + cfg.durationMs, rateScale: 1 };
  }
  const warm = base.warmupMs * Math.max(0.4, scale);
  return { cfg: base, startMs, warmupEndMs: startMs + warm, endMs: startMs + warm + (base.durationMs - base.warmupMs) * scale, rateScale: 0.6 };
}

export function buildScenario(base: ScenarioConfig, opts: BuildOptions): ScenarioTraffic {
  const features: Features = { ...NO_FEATURES, ...base.features };
  const world = buildWorld(features, opts.seed);
  const root = new Rng(opts.seed).fork(base.name);
  const { cfg, startMs, warmupEndMs, endMs, rateScale } = scaled(base, opts.scale);
  const plan = cfg.plan?.({ startMs, warmupEndMs, endMs, world, rng: root.fork("plan") }) ?? {};

  // Window episodes and their effects.
  const episodes: Episode[] = [];
  const effects: WindowEffect[] = [];
  for (const w of plan.windows ?? []) {
    if (w.startMs >= endMs) continue;
    const ep: Episode = { id: `${w.cls}#${episodes.length}`, cls: w.cls, size: w.size, key: w.key, startMs: w.startMs, endMs: Math.min(endMs, w.startMs + w.durationMs), traceIds: [], callEndMs: [], callSpanIds: [] };
    episodes.push(ep);
    effects.push({ episode: ep, kind: w.kind, value: w.value });
  }
  const callEffects = effects.filter((e) => e.kind !== "rate");
  const rateEffects = effects.filter((e) => e.kind === "rate");

  const duration = endMs - startMs;
  const upgraded: string[] = [];
  const env: SimEnv = {
    onUpgradedCall: (id) => upgraded.push(id),
    world,
    effects(service, agent, tool, model, t) {
      let out: WindowEffect[] | null = null;
      for (const e of callEffects) {
        const k = e.episode.key;
        if (t < e.episode.startMs || t >= e.episode.endMs || k.service !== service) continue;
        if ((k.agent && k.agent !== agent) || (k.tool && k.tool !== tool) || (k.model && k.model !== model)) continue;
        (out ??= []).push(e);
      }
      return out ?? NONE;
    },
    promptGrowth: cfg.promptGrowth ? (t) => 1 + (cfg.promptGrowth! - 1) * Math.min(1, Math.max(0, (t - startMs) / duration)) : () => 1,
    upgrade(model: ModelSpec, t: number) {
      const u = cfg.modelUpgrade;
      if (u && model.name === u.model && t >= startMs + u.atFraction * duration) return { snapshot: u.snapshot, latency: u.latency, output: u.output };
      return { snapshot: model.snapshot, latency: 1, output: 1 };
    },
    warmth: (t) => Math.min(1, shapeAt(cfg.shape, t) / SHAPE_MAX[cfg.shape] * 1.3),
    promptCache: new Map(),
  };

  // Arrivals.
  const arrivalRng = root.fork("arrivals");
  const plans: RunPlan[] = [];
  const entry = world.entryAgents.filter((a) => !cfg.onlyAgents || cfg.onlyAgents.includes(a.name));
  const totalWeight = entry.reduce((n, a) => n + a.weight, 0);
  for (const agent of entry) {
    const perMs = ((cfg.runsPerHour * rateScale) / HOUR) * (agent.weight / totalWeight);
    const mine = rateEffects.filter((e) => e.episode.key.service === agent.service && (!e.episode.key.agent || e.episode.key.agent === agent.name));
    const factor = (t: number) => {
      let f = 1;
      for (const e of mine) if (t >= e.episode.startMs && t < e.episode.endMs) f *= e.value;
      return f;
    };
    const factorMax = Math.max(1, ...mine.map((e) => e.value));
    const times = sessionArrivals(arrivalRng.fork(agent.name), startMs, endMs, (t) => perMs * shapeAt(cfg.shape, t), perMs * SHAPE_MAX[cfg.shape], cfg.levelSd ?? 0.15, factor, factorMax);
    for (const t of times) plans.push({ agent, startMs: t, instance: 0 });
  }
  if (features.cron && cfg.cron) {
    const agent = world.agents.get("digest-agent")!;
    for (const t of cronArrivals(arrivalRng.fork("cron"), startMs, endMs, { perHour: cfg.cron.perHour, nightly: cfg.cron.nightly, nightlyHourUtc: 2, pool: 6, runMs: 9000 })) {
      plans.push({ agent, startMs: t, instance: 0 });
    }
  }
  if (features.quietKeys) {
    for (const { agent, utcOffset } of world.tenants) {
      for (const t of tenantArrivals(arrivalRng.fork(agent.name), startMs, endMs, cfg.tenantRunsPerDay ?? 20, utcOffset)) plans.push({ agent, startMs: t, instance: 0 });
    }
  }
  plans.sort((a, b) => a.startMs - b.startMs);
  const replicaRng = root.fork("replicas");
  for (const p of plans) p.instance = replicaRng.int(0, world.services.get(p.agent.service)!.replicas - 1);

  // Per-run injections, taken in turn so every kind gets its share.
  if (plan.points) {
    const pr = root.fork("points");
    let turn = 0;
    for (const p of plans) {
      if (p.startMs < warmupEndMs || !pr.chance(plan.points.rate)) continue;
      if (plan.points.agents && !plan.points.agents.includes(p.agent.name)) continue;
      const kind = plan.points.kinds[turn++ % plan.points.kinds.length]!;
      const ep: Episode = { id: `${kind.cls}#${episodes.length}`, cls: kind.cls, size: kind.size, key: { service: p.agent.service, agent: p.agent.name }, startMs: p.startMs, endMs: p.startMs, traceIds: [], callEndMs: [], callSpanIds: [], ...(kind.inj.kind === "spike" ? { note: kind.inj.on } : {}) };
      episodes.push(ep);
      p.injection = { inj: kind.inj, episode: ep };
    }
  }

  // Runs.
  const sim = new RunSimulator(env, root.fork("runs"));
  const allSpans: SimSpan[] = [];
  const traces: TraceTruth[] = [];
  for (const p of plans) {
    const r = sim.run(p);
    for (const s of r.spans) allSpans.push(s);
    const eps = [...r.episodes];
    if (p.injection) {
      const ep = p.injection.episode;
      ep.traceIds.push(r.traceId);
      ep.endMs = r.endMs;
      ep.callEndMs.push(r.endMs);
      ep.callSpanIds.push(r.injectedSpanId ?? "");
      if (r.injectedSpanId) ep.spanId = r.injectedSpanId;
      eps.push(ep.id);
    }
    traces.push({ traceId: r.traceId, service: p.agent.service, agent: p.agent.name, startMs: p.startMs, endMs: r.endMs, episodes: eps });
  }
  // Traffic episodes: every run of the key during the window is part of it (surges: the extra runs).
  for (const e of rateEffects) {
    const k = e.episode.key;
    for (const t of traces) {
      if (t.service === k.service && (!k.agent || t.agent === k.agent) && t.startMs >= e.episode.startMs && t.startMs < e.episode.endMs) {
        t.episodes.push(e.episode.id);
        e.episode.traceIds.push(t.traceId);
        e.episode.callEndMs.push(t.endMs);
        e.episode.callSpanIds.push("");
      }
    }
  }

  // Exporters.
  const late: LateWindow[] = [];
  if (features.lateService && cfg.lateFlushEveryMs) {
    const lr = root.fork("late");
    for (let t = startMs + lr.uniform(0.2, 1) * cfg.lateFlushEveryMs; t < endMs; t += cfg.lateFlushEveryMs * lr.uniform(0.7, 1.3)) {
      late.push({ service: "mcp-tools", instance: 1, fromMs: t, toMs: t + 10 * MINUTE });
    }
  }
  const exported = exportSpans(root.fork("exporter"), allSpans, world.services, late);
  for (const ep of episodes) {
    const order = ep.callEndMs.map((_, i) => i).sort((a, b) => ep.callEndMs[a]! - ep.callEndMs[b]!);
    ep.callEndMs = order.map((i) => ep.callEndMs[i]!);
    ep.callSpanIds = order.map((i) => ep.callSpanIds[i]!);
  }
  return {
    name: cfg.name,
    suiteKind: cfg.kind,
    description: cfg.description,
    startMs,
    endMs,
    warmupEndMs,
    requests: exported.requests,
    traces,
    episodes,
    unit: cfg.unit ?? "traces",
    watch: cfg.modelUpgrade
      ? { label: `${cfg.modelUpgrade.model} upgrade`, fromMs: startMs + cfg.modelUpgrade.atFraction * duration, spanIds: upgraded, entityIncludes: cfg.modelUpgrade.model, max: 1 }
      : undefined,
    stats: { runs: plans.length, spans: allSpans.length, requests: exported.requests.length, droppedSpans: exported.dropped, lateFlushes: exported.lateFlushes },
  };
}

const NONE: WindowEffect[] = [];

/** Lays window episodes out in slots after warm-up: slot i starts at warm-up end + i·slotMs (plus jitter). */
export function layoutSlots(rng: Rng, fromMs: number, slotMs: number, slots: WindowSpec[][]): Array<WindowSpec & { startMs: number }> {
  const out: Array<WindowSpec & { startMs: number }> = [];
  slots.forEach((slot, i) => {
    for (const w of slot) out.push({ ...w, startMs: Math.round(fromMs + i * slotMs + rng.uniform(0, 0.1) * slotMs) });
  });
  return out;
}
