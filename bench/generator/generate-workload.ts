// Seeded generator of realistic agent traffic with labeled injected anomalies. Traces follow a daily
// traffic pattern (thinned non-homogeneous Poisson), lognormal tool latencies, LLM latency driven by
// output tokens, occasional tool errors; anomalies of every class are injected after a warm-up.
import { createRng, type Rng } from "@/lib/detect/models/rng";
import { AGENTS, FOREIGN_TOOLS, type AgentSpec, type ToolSpec } from "./agents";

export const SPAN_CLASSES = ["latency_spike", "token_blowup", "cost_spike", "novel_transition", "loop", "long_chain"] as const;
export const INCIDENT_CLASSES = ["error_burst", "traffic_surge"] as const;
export type SpanClass = (typeof SPAN_CLASSES)[number];
export type IncidentClass = (typeof INCIDENT_CLASSES)[number];
export type AnomalyClass = SpanClass | IncidentClass;

export interface GenSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: "agent" | "llm" | "tool";
  name: string;
  startMs: number;
  endMs: number;
  error: boolean;
  tool?: string;
  args?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface GenTrace {
  traceId: string;
  agent: AgentSpec;
  startMs: number;
  endMs: number;
  spans: GenSpan[];
  label: SpanClass | null;
}

export interface Incident {
  cls: IncidentClass;
  agent: string;
  tool?: string;
  startMs: number;
  endMs: number;
}

export interface WorkloadOptions {
  seed: number;
  /** Expected number of clean-rate traces over the whole duration. */
  traces: number;
  startMs: number;
  durationMs: number;
  /** Fraction of the timeline without injections (models warm up). */
  warmupFraction: number;
  /** Probability per trace of each span/trace-level class after warm-up. */
  anomalyRate: number;
  incidentsPerClass: number;
  incidentMs: number;
}

export const DEFAULT_WORKLOAD: Omit<WorkloadOptions, "startMs"> = {
  seed: 42, traces: 60_000, durationMs: 2 * 86_400_000, warmupFraction: 0.25, anomalyRate: 0.002, incidentsPerClass: 6, incidentMs: 5 * 60_000,
};

export interface Workload {
  traces: GenTrace[];
  incidents: Incident[];
  warmupEndMs: number;
  options: WorkloadOptions;
}

const hex = (rng: Rng, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rng.next() * 16)];
  return s;
};

/** Daily traffic shape: trough at 03:00 UTC, peak at 15:00 UTC (mean 1). */
export function dailyFactor(ms: number): number {
  const hour = (ms / 3_600_000) % 24;
  return 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

export function generateWorkload(opts: WorkloadOptions): Workload {
  const rng = createRng(opts.seed);
  const warmupEndMs = opts.startMs + opts.durationMs * opts.warmupFraction;
  const incidents = planIncidents(rng, opts, warmupEndMs);
  const traces: GenTrace[] = [];
  const meanPerMs = opts.traces / opts.durationMs;
  for (const agent of AGENTS) {
    const surges = incidents.filter((i) => i.cls === "traffic_surge" && i.agent === agent.name);
    const lambdaMax = meanPerMs * agent.weight * 1.6 * 6;
    let t = opts.startMs;
    for (;;) {
      t += -Math.log(1 - rng.next()) / lambdaMax;
      if (t >= opts.startMs + opts.durationMs) break;
      const surge = surges.some((s) => t >= s.startMs && t < s.endMs) ? 6 : 1;
      if (rng.next() * lambdaMax > meanPerMs * agent.weight * dailyFactor(t) * surge) continue;
      const inWarmup = t < warmupEndMs;
      let label: SpanClass | null = null;
      if (!inWarmup && rng.chance(opts.anomalyRate * SPAN_CLASSES.length)) label = rng.pick(SPAN_CLASSES);
      traces.push(buildTrace(rng, agent, Math.floor(t), label, incidents));
    }
  }
  traces.sort((a, b) => a.endMs - b.endMs);
  return { traces, incidents, warmupEndMs, options: opts };
}

function planIncidents(rng: Rng, opts: WorkloadOptions, warmupEndMs: number): Incident[] {
  const out: Incident[] = [];
  const span = opts.startMs + opts.durationMs - warmupEndMs - opts.incidentMs;
  for (const cls of INCIDENT_CLASSES) {
    for (let i = 0; i < opts.incidentsPerClass; i++) {
      const agent = rng.pick(AGENTS);
      // Spread incidents evenly (one per slot) so they never overlap.
      const slot = span / opts.incidentsPerClass;
      const startMs = Math.floor(warmupEndMs + i * slot + (cls === "error_burst" ? 0.25 : 0.65) * slot + rng.next() * 0.1 * slot);
      out.push({ cls, agent: agent.name, tool: cls === "error_burst" ? rng.pick(agent.tools).name : undefined, startMs, endMs: startMs + opts.incidentMs });
    }
  }
  return out;
}

interface Call {
  tool: ToolSpec;
  args: string;
}

function buildTrace(rng: Rng, agent: AgentSpec, startMs: number, label: SpanClass | null, incidents: Incident[]): GenTrace {
  const traceId = hex(rng, 32);
  const rootId = hex(rng, 16);
  const load = 1 + 0.12 * (dailyFactor(startMs) - 1);
  const calls: Call[] = [];
  const n = Math.min(agent.maxCalls, 1 + rng.poisson(agent.extraCalls));
  const fresh = (tool: ToolSpec): Call => ({ tool, args: JSON.stringify({ q: hex(rng, 12) }) });
  if (label === "long_chain") {
    const k = Math.round(agent.maxCalls * (3 + rng.next()));
    for (let i = 0; i < k; i++) calls.push(fresh(rng.pick(agent.tools)));
  } else if (label === "loop") {
    const c = fresh(rng.pick(agent.tools));
    const k = rng.int(5, 8);
    for (let i = 0; i < k; i++) calls.push(c);
  } else {
    for (let i = 0; i < n; i++) calls.push(fresh(rng.pick(agent.tools)));
    if (label === "novel_transition") calls.splice(rng.int(0, calls.length), 0, fresh(rng.pick(FOREIGN_TOOLS)));
  }
  const llmCount = calls.length + 1;
  const targetLlm = label === "token_blowup" || label === "cost_spike" ? rng.int(0, llmCount - 1) : -1;
  const toolSpike = label === "latency_spike" ? rng.int(0, calls.length - 1) : -1;
  const spans: GenSpan[] = [];
  let t = startMs + rng.int(2, 15);
  const burst = incidents.find((i) => i.cls === "error_burst" && i.agent === agent.name && startMs >= i.startMs && startMs < i.endMs);
  for (let i = 0; i < llmCount; i++) {
    const m = agent.model;
    const inputTokens = Math.round(agent.inputMedian * (1 + 0.35 * i) * Math.exp(0.35 * rng.normal()));
    let outputTokens = Math.max(1, Math.round(agent.outputMedian * Math.exp(0.5 * rng.normal())));
    // Runaway generation: far more output than usual, often up to the max_tokens limit.
    if (i === targetLlm && label === "token_blowup") outputTokens = Math.round(Math.max(outputTokens * (12 + rng.next() * 20), 3000 + rng.next() * 5000));
    const dur = (m.ttftMs + m.perTokenMs * outputTokens) * Math.exp(0.15 * rng.normal()) * load;
    let costUsd = (inputTokens * m.inPrice + outputTokens * m.outPrice) / 1e6;
    if (i === targetLlm && label === "cost_spike") costUsd *= 15 + rng.next() * 25;
    spans.push({ traceId, spanId: hex(rng, 16), parentSpanId: rootId, kind: "llm", name: `chat ${m.name}`, startMs: t, endMs: t + dur, error: false, inputTokens, outputTokens, costUsd });
    t += dur + rng.int(1, 10);
    const call = calls[i];
    if (!call) break;
    let toolDur = call.tool.medianMs * Math.exp(call.tool.sigma * rng.normal()) * load;
    if (i === toolSpike) toolDur *= 12 + rng.next() * 28;
    const errorRate = burst && burst.tool === call.tool.name ? 0.8 : call.tool.errorRate;
    spans.push({ traceId, spanId: hex(rng, 16), parentSpanId: rootId, kind: "tool", name: `execute_tool ${call.tool.name}`, startMs: t, endMs: t + toolDur, error: rng.chance(errorRate), tool: call.tool.name, args: call.args });
    t += toolDur + rng.int(1, 10);
  }
  const endMs = t + rng.int(1, 5);
  spans.push({ traceId, spanId: rootId, parentSpanId: null, kind: "agent", name: `invoke_agent ${agent.name}`, startMs, endMs, error: false });
  return { traceId, agent, startMs, endMs, spans, label };
}
