// Builders for OTLP ExportTraceServiceRequest bodies in JSON and protobuf, for tests and benchmarks.
import { randomBytes } from "node:crypto";
import { otlpTypes } from "@/lib/otlp/proto";

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export interface FixtureSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startNs: bigint;
  endNs: bigint;
  attributes?: Record<string, Plain>;
  events?: { name: string; timeNs: bigint; attributes?: Record<string, Plain> }[];
  status?: { code: number; message?: string };
}

export const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** JS value → OTLP AnyValue (integers become intValue, other numbers doubleValue). */
export function anyValue(value: Plain): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (value === null) return {};
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

export function keyValues(attributes: Record<string, Plain>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export function jsonSpan(s: FixtureSpan): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind ?? 1,
    startTimeUnixNano: s.startNs.toString(),
    endTimeUnixNano: s.endNs.toString(),
    attributes: keyValues(s.attributes ?? {}),
    events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: e.timeNs.toString(), attributes: keyValues(e.attributes ?? {}) })),
    status: s.status ?? {},
  };
}

export function jsonRequest(spans: FixtureSpan[], resource: Record<string, Plain> = { "service.name": "checkout" }, scope = "test-scope") {
  return { resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: { name: scope }, spans: spans.map(jsonSpan) }] }] };
}

const idToBytes = (value: unknown) => (typeof value === "string" ? Buffer.from(value, "hex") : value);

/** Encodes an OTLP/JSON-shaped request object as protobuf (hex ids → bytes). */
export function toProtobuf(request: unknown): Buffer {
  const copy = JSON.parse(JSON.stringify(request)) as { resourceSpans?: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
  for (const rs of copy.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const key of ["traceId", "spanId", "parentSpanId"]) if (key in span) span[key] = idToBytes(span[key]);
      }
    }
  }
  const { request: type } = otlpTypes();
  return Buffer.from(type.encode(type.fromObject(copy)).finish());
}

/** A small agent trace: agent root → LLM call + tool call (+ nested LLM under the tool). */
export function agentTrace(traceId = hex(16), startNs = 1_700_000_000_000_000_000n): FixtureSpan[] {
  const root = hex(8);
  const llm = hex(8);
  const tool = hex(8);
  return [
    { traceId, spanId: root, name: "invoke_agent planner", startNs, endNs: startNs + 3_000_000_000n, attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner" } },
    {
      traceId, spanId: llm, parentSpanId: root, name: "chat gpt-4o", kind: 3, startNs: startNs + 1_000n, endNs: startNs + 1_200_000_000n,
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 200 },
    },
    {
      traceId, spanId: tool, parentSpanId: root, name: "execute_tool search", startNs: startNs + 1_300_000_000n, endNs: startNs + 1_500_000_000n,
      attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search", "gen_ai.tool.call.arguments": '{"q":"weather"}' },
      status: { code: 2, message: "timeout" },
    },
  ];
}
