"use client";
import { useEffect, useState } from "react";
import { CopyButton } from "../ui/copy-button";

function snippets(origin: string) {
  return [
    {
      title: "Any OpenTelemetry SDK (environment variables)",
      code: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/v1/traces\nOTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <your API key>"\nOTEL_SERVICE_NAME=my-agent-service`,
    },
    {
      title: "Node.js (@opentelemetry/sdk-trace-node)",
      code: `import { NodeTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ "service.name": "my-agent-service" }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({
    url: "${origin}/v1/traces",
    headers: { Authorization: \`Bearer \${process.env.ARGUS_API_KEY}\` },
  }))],
});
provider.register();`,
    },
    {
      title: "Python (opentelemetry-sdk)",
      code: `from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
import os

provider = TracerProvider(resource=Resource.create({"service.name": "my-agent-service"}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(
    endpoint="${origin}/v1/traces",
    headers={"Authorization": f"Bearer {os.environ['ARGUS_API_KEY']}"},
)))
trace.set_tracer_provider(provider)`,
    },
    {
      title: "OpenLLMetry (Traceloop SDK, Python)",
      code: `from traceloop.sdk import Traceloop
import os

Traceloop.init(
    app_name="my-agent-service",
    api_endpoint="${origin}",
    headers={"Authorization": f"Bearer {os.environ['ARGUS_API_KEY']}"},
)`,
    },
    {
      title: "OpenInference (Arize, Python; e.g. LangChain)",
      code: `from openinference.instrumentation.langchain import LangChainInstrumentor
# after configuring the OpenTelemetry TracerProvider above:
LangChainInstrumentor().instrument(tracer_provider=provider)`,
    },
  ];
}

export function ConnectPanel() {
  const [origin, setOrigin] = useState("http://localhost:3000");
  useEffect(() => setOrigin(window.location.origin), []);
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Connect your app</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Argus speaks OTLP/HTTP (protobuf or JSON) at <code>{origin}/v1/traces</code>. Create a key under API keys, then use one of these. GenAI semantic conventions (gen_ai.*), OpenLLMetry
        (traceloop.*) and OpenInference (llm.*, openinference.span.kind) attributes are all understood.
      </p>
      {snippets(origin).map((s) => (
        <div key={s.title}>
          <div className="row" style={{ marginBottom: 4 }}>
            <h3 style={{ margin: 0 }}>{s.title}</h3>
            <span className="spacer" />
            <CopyButton text={s.code} />
          </div>
          <pre className="block">{s.code}</pre>
        </div>
      ))}
    </section>
  );
}
