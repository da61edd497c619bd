// Synthetic agent runs for the seed script, the query benchmark and the e2e tests: realistic
// GenAI-convention spans (agent → LLM calls and tool calls), with rare injected incidents.
import { randomBytes } from "node:crypto";
import type { Attributes, DecodedSpan } from "@/lib/otlp/types";

export interface AgentProfile {
  service: string;
  agent: string;
  steps: Array<{ kind: "llm"; name: string; model: string; ms: number; input: number; output: number } | { kind: "tool"; name: string; ms: number; repeat?: [number, number] }>;
}

export const PROFILES: AgentProfile[] = [
  {
    service: "checkout",
    agent: "support-agent",
    steps: [
      { kind: "llm", name: "plan", model: "gpt-4o-mini", ms: 600, input: 900, output: 120 },
      { kind: "tool", name: "search_kb", ms: 180 },
      { kind: "tool", name: "lookup_order", ms: 90 },
      { kind: "llm", name: "answer", model: "gpt-4o", ms: 1800, input: 2400, output: 380 },
    ],
  },
  {
    service: "research",
    agent: "research-agent",
    steps: [
      { kind: "llm", name: "plan", model: "claude-3-5-sonnet", ms: 1200, input: 1500, output: 200 },
      { kind: "tool", name: "web_search", ms: 700, repeat: [1, 3] },
      { kind: "llm", name: "summarize", model: "claude-3-5-sonnet", ms: 2600, input: 6000, output: 700 },
    ],
  },
  {
    service: "billing",
    agent: "refund-agent",
    steps: [
      { kind: "llm", name: "classify", model: "gpt-4o-mini", ms: 400, input: 500, output: 40 },
      { kind: "tool", name: "issue_refund", ms: 250 },
    ],
  },
];

export type Incident = "none" | "slow" | "tokens" | "loop" | "error";

/** Deterministic pseudo-random numbers (mulberry32) so seeded datasets are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (bytes: number, rand: () => number) => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, "0")).join("");
/** Log-normal jitter around a typical value. */
const jitter = (typical: number, rand: () => number, spread = 0.25) => typical * Math.exp(spread * Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand()));

export interface RunOptions {
  profile: AgentProfile;
  startMs: number;
  rand: () => number;
  incident?: Incident;
  /** The conversation and user the run belongs to (session.id and user.id on the root span). */
  session?: RunSession;
}

export interface RunSession {
  sessionId: string;
  userId: string;
}

/** One agent run as decoded spans: a root agent span and its steps, one after another. */
export function generateRun({ profile, startMs, rand, incident = "none", session }: RunOptions): DecodedSpan[] {
  const traceId = hex(16, rand);
  const rootId = hex(8, rand);
  const resource = { attributes: { "service.name": profile.service }, service: profile.service, json: JSON.stringify({ "service.name": profile.service }) };
  const toNs = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;
  const spans: DecodedSpan[] = [];
  let t = startMs + 2;
  let failed = false;
  const stepList = profile.steps.flatMap((s) => {
    if (s.kind === "tool" && s.repeat) {
      const n = s.repeat[0] + Math.floor(rand() * (s.repeat[1] - s.repeat[0] + 1));
      return Array.from({ length: n }, () => s);
    }
    return [s];
  });
  if (incident === "loop") {
    const tool = stepList.find((s) => s.kind === "tool");
    if (tool) stepList.splice(stepList.indexOf(tool), 0, ...Array.from({ length: 6 }, () => tool));
  }
  stepList.forEach((step, i) => {
    // A hung call: the last step takes a minute or more instead of a second or two.
    const slow = incident === "slow" && i === stepList.length - 1 ? 60 : 1;
    const ms = jitter(step.ms, rand) * slow;
    const attributes: Attributes = { "gen_ai.agent.name": profile.agent };
    let name: string;
    let statusCode = 0;
    let statusMessage: string | null = null;
    if (step.kind === "llm") {
      const heavy = incident === "tokens" && i === stepList.length - 1 ? 9 : 1;
      name = `chat ${step.model}`;
      Object.assign(attributes, {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": step.model,
        "gen_ai.provider.name": step.model.startsWith("claude") ? "anthropic" : "openai",
        "gen_ai.usage.input_tokens": Math.round(jitter(step.input, rand, 0.2) * heavy),
        "gen_ai.usage.output_tokens": Math.round(jitter(step.output, rand, 0.3) * heavy),
        "gen_ai.input.messages": JSON.stringify([{ role: "user", content: `Step ${step.name} for ${profile.agent}` }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", content: `Result of ${step.name}` }]),
      });
    } else {
      name = `execute_tool ${step.name}`;
      Object.assign(attributes, {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": step.name,
        "gen_ai.tool.call.arguments": JSON.stringify({ query: incident === "loop" ? "same query" : `q${Math.floor(rand() * 1e6)}` }),
      });
    }
    if (incident === "error" && i === stepList.length - 1) {
      statusCode = 2;
      statusMessage = "upstream returned 500";
      failed = true;
    }
    spans.push({ traceId, spanId: hex(8, rand), parentSpanId: rootId, name, otelKind: step.kind === "llm" ? 3 : 1, startNs: toNs(t), endNs: toNs(t + ms), attributes, events: null, links: null, statusCode, statusMessage, resource, scope: "argus-seed" });
    t += ms + 3;
  });
  spans.unshift({
    traceId,
    spanId: rootId,
    parentSpanId: null,
    name: `invoke_agent ${profile.agent}`,
    otelKind: 1,
    startNs: toNs(startMs),
    endNs: toNs(t + 2),
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": profile.agent, ...(session ? { "session.id": session.sessionId, "user.id": session.userId } : {}) },
    events: null,
    links: null,
    statusCode: failed ? 2 : 0,
    statusMessage: failed ? "agent run failed" : null,
    resource,
    scope: "argus-seed",
  });
  return spans;
}

export function pickIncident(rand: () => number, rate = 0.01): Incident {
  const r = rand();
  if (r >= rate * 4) return "none";
  return (["slow", "tokens", "loop", "error"] as const)[Math.floor(r / rate)] ?? "none";
}

/** OTLP/JSON body for a list of decoded spans (what an OTel SDK's JSON exporter sends). */
export function toOtlpJson(spans: DecodedSpan[]): string {
  const byService = new Map<string, DecodedSpan[]>();
  for (const s of spans) byService.set(s.resource.service, [...(byService.get(s.resource.service) ?? []), s]);
  const value = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }) : typeof v === "boolean" ? { boolValue: v } : { stringValue: String(v) });
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: "argus-seed" },
          spans: list.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.otelKind,
            startTimeUnixNano: s.startNs.toString(),
            endTimeUnixNano: s.endNs.toString(),
            attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: value(v) })),
            status: { code: s.statusCode, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
          })),
        },
      ],
    })),
  });
}

export const randomSeed = () => randomBytes(4).readUInt32LE(0);
