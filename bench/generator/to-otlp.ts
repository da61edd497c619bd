// OTLP/JSON (ExportTraceServiceRequest) for generated traces, with OTel GenAI or OpenInference attributes.
import type { GenSpan, GenTrace } from "./generate-workload";

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number };
const attr = (key: string, v: string | number): { key: string; value: AnyValue } => ({
  key,
  value: typeof v === "string" ? { stringValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
});
const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function attributes(trace: GenTrace, s: GenSpan) {
  const a = trace.agent;
  const out: Array<{ key: string; value: AnyValue }> = [];
  if (a.convention === "genai") {
    if (s.kind === "agent") out.push(attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", a.name));
    if (s.kind === "llm") {
      out.push(attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", a.model.name), attr("gen_ai.provider.name", a.model.provider));
      out.push(attr("gen_ai.usage.input_tokens", s.inputTokens!), attr("gen_ai.usage.output_tokens", s.outputTokens!), attr("gen_ai.usage.cost", s.costUsd!));
    }
    if (s.kind === "tool") out.push(attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", s.tool!), attr("gen_ai.tool.call.arguments", s.args!));
  } else {
    if (s.kind === "agent") out.push(attr("openinference.span.kind", "AGENT"), attr("agent.name", a.name));
    if (s.kind === "llm") {
      out.push(attr("openinference.span.kind", "LLM"), attr("llm.model_name", a.model.name), attr("llm.provider", a.model.provider));
      out.push(attr("llm.token_count.prompt", s.inputTokens!), attr("llm.token_count.completion", s.outputTokens!), attr("llm.cost.total", s.costUsd!));
    }
    if (s.kind === "tool") out.push(attr("openinference.span.kind", "TOOL"), attr("tool.name", s.tool!), attr("tool.parameters", s.args!));
  }
  return out;
}

/** One request for the given traces; spans in end-time order (children before their parent). */
export function toOtlpJson(traces: readonly GenTrace[]): unknown {
  const byService = new Map<string, GenTrace[]>();
  for (const t of traces) {
    const list = byService.get(t.agent.service) ?? [];
    list.push(t);
    byService.set(t.agent.service, list);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [attr("service.name", service)] },
      scopeSpans: [{
        scope: { name: "argus-bench-generator", version: "1" },
        spans: list.flatMap((t) => [...t.spans].sort((x, y) => x.endMs - y.endMs).map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: s.kind === "llm" || s.kind === "tool" ? 3 : 1,
          startTimeUnixNano: ns(s.startMs),
          endTimeUnixNano: ns(s.endMs),
          attributes: attributes(t, s),
          status: s.error ? { code: 2, message: `${s.tool ?? s.name} failed` } : { code: 1 },
        }))),
      }],
    })),
  };
}
