// Sends spans with the stock OpenTelemetry JS SDK and exporters (as users would), and keeps a copy of
// what was exported so tests can compare the stored rows field by field.
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";

export type ExporterKind = "http-json" | "proto" | "proto-gzip";

export function hrToNs([seconds, nanos]: [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/** Exports one small agent trace and returns the SDK's own view of the spans. */
export async function exportAgentTrace(baseUrl: string, apiKey: string, kind: ExporterKind, service: string): Promise<ReadableSpan[]> {
  const options = { url: `${baseUrl}/v1/traces`, headers: { authorization: `Bearer ${apiKey}` } };
  const exporter =
    kind === "http-json" ? new HttpJsonExporter(options) : new ProtoExporter({ ...options, ...(kind === "proto-gzip" ? { compression: "gzip" as never } : {}) });
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "service.instance.id": "i-1", "host.cores": 2 }),
    spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("argus-test", "1.2.3");
  const root = tracer.startSpan("invoke_agent planner", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner" } });
  const ctx = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan("chat gpt-4o", {
    kind: SpanKind.CLIENT,
    attributes: {
      "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 0,
      "gen_ai.request.temperature": 0.7, "gen_ai.request.stream": false, "flag.true": true, "count.zero": 0, "empty.string": "",
      "gen_ai.response.finish_reasons": ["stop", "length"], "ints": [1, 0, -3], "bools": [false, true], "unicode": "héllo ✓ 日本",
    },
  }, ctx);
  llm.addEvent("gen_ai.choice", { index: 0, "finish.reason": "stop" });
  llm.end();
  const tool = tracer.startSpan("execute_tool search", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" } }, ctx);
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "upstream 503" });
  tool.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  await provider.forceFlush();
  const spans = [...memory.getFinishedSpans()]; // shutdown() empties the memory exporter
  await provider.shutdown();
  return spans;
}

/** The stored rows of an exported trace must match what the SDK exported, field by field. */
export async function expectStoredAsExported(
  db: import("@/lib/db").Db,
  projectId: string,
  exported: ReadableSpan[],
  service: string,
  expect: typeof import("vitest").expect,
): Promise<void> {
  const traceId = exported[0]!.spanContext().traceId;
  const rows = await db.span.findMany({ where: { projectId, traceId } });
  expect(rows).toHaveLength(exported.length);
  for (const span of exported) {
    const row = rows.find((r) => r.spanId === span.spanContext().spanId);
    expect(row, span.name).toBeDefined();
    expect(row!.parentSpanId).toBe(span.parentSpanContext?.spanId ?? null);
    expect(row!.name).toBe(span.name);
    expect(row!.otelKind).toBe(span.kind + 1);
    expect(row!.startNs).toBe(hrToNs(span.startTime));
    expect(row!.endNs).toBe(hrToNs(span.endTime));
    expect(row!.statusCode).toBe(span.status.code);
    expect(row!.statusMessage).toBe(span.status.message ?? null);
    expect(row!.attributes).toEqual(span.attributes);
    expect(row!.service).toBe(service);
    expect(row!.scope).toBe(span.instrumentationScope.name);
    expect(row!.resource).toEqual(span.resource.attributes);
    expect(row!.events ?? []).toEqual(span.events.map((e) => ({ name: e.name, timeUnixNano: hrToNs(e.time).toString(), attributes: e.attributes ?? {} })));
  }
  const llm = rows.find((r) => r.name === "chat gpt-4o")!;
  expect(llm).toMatchObject({ kind: "llm", agent: "planner", model: "gpt-4o", inputTokens: 1200, outputTokens: 0, step: "chat gpt-4o" });
  expect(llm.attributes).toMatchObject({ "flag.true": true, "count.zero": 0, "empty.string": "", "gen_ai.request.stream": false, bools: [false, true] });
  const trace = await db.trace.findUniqueOrThrow({ where: { projectId_traceId: { projectId, traceId } } });
  expect(trace).toMatchObject({ spanCount: 3, errorCount: 1, inputTokens: 1200, agent: "planner", name: "invoke_agent planner" });
}
