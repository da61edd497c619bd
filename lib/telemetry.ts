// Argus observes itself with @opentelemetry/api. Spans are exported over OTLP only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set (it may point at Argus itself, with a key of a separate project).
import { SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { getEnv } from "./env";
import { log } from "./log";

const tracer = trace.getTracer("argus");
let provider: NodeTracerProvider | undefined;

export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    const index = pair.indexOf("=");
    if (index <= 0) continue;
    headers[decodeURIComponent(pair.slice(0, index).trim())] = decodeURIComponent(pair.slice(index + 1).trim());
  }
  return headers;
}

export function startTelemetry(serviceName: string): void {
  const env = getEnv();
  if (provider || !env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const exporter = new OTLPTraceExporter({
    url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces`,
    headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
  });
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  log.info("self-telemetry enabled", { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, service: serviceName });
}

export async function stopTelemetry(): Promise<void> {
  await provider?.shutdown().catch(() => {});
  provider = undefined;
}

/** Runs fn inside a span; records errors. A no-op tracer makes this nearly free when export is off. */
export async function withSpan<T>(name: string, fn: () => Promise<T>, attributes: Attributes = {}): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
