// OTLP/JSON (ExportTraceServiceRequest) of one export request: one resource (the replica), one
// scopeSpans entry per instrumentation scope, spans in the order the processor queued them.
import type { ExportRequest, AttrValue } from "./types";

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } | { arrayValue: { values: AnyValue[] } };

function value(v: AttrValue): AnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => ({ stringValue: x })) } };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

const SDK: Record<string, Array<[string, string]>> = {
  python: [["telemetry.sdk.language", "python"], ["telemetry.sdk.name", "opentelemetry"], ["telemetry.sdk.version", "1.38.0"]],
  node: [["telemetry.sdk.language", "nodejs"], ["telemetry.sdk.name", "opentelemetry"], ["telemetry.sdk.version", "2.2.0"]],
};

export function toOtlp(req: ExportRequest, sdk: "python" | "node"): unknown {
  const scopes = new Map<string, unknown[]>();
  for (const s of req.spans) {
    let list = scopes.get(s.scope);
    if (!list) scopes.set(s.scope, (list = []));
    const span: Record<string, unknown> = {
      traceId: s.traceId,
      spanId: s.spanId,
      name: s.name,
      kind: s.otelKind,
      startTimeUnixNano: nanos(s.startMs),
      endTimeUnixNano: nanos(s.endMs),
      attributes: s.attrs.map(([key, v]) => ({ key, value: value(v) })),
      status: s.status === 2 ? { code: 2, message: s.statusMessage ?? "" } : { code: s.status },
    };
    if (s.parentSpanId) span.parentSpanId = s.parentSpanId;
    list.push(span);
  }
  const resource = [
    ["service.name", req.service], ["service.instance.id", `${req.service}-${req.instance}`], ["deployment.environment.name", "production"],
    ["service.version", "2025.11.3"], ...SDK[sdk]!,
  ].map(([key, v]) => ({ key, value: { stringValue: v } }));
  return {
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [...scopes].map(([name, spans]) => ({ scope: { name }, spans })) }],
  };
}
