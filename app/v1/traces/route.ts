// OTLP/HTTP traces: OTEL_EXPORTER_OTLP_ENDPOINT=http://host:3000 posts here.
import { handleTraceExport } from "@/lib/otlp/handle-export";

export function POST(req: Request): Promise<Response> {
  return handleTraceExport(req);
}
