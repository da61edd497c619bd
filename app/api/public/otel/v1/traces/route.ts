// Same handler as /v1/traces, for SDKs configured with a base path.
import { handleTraceExport } from "@/lib/otlp/handle-export";

export function POST(req: Request): Promise<Response> {
  return handleTraceExport(req);
}
