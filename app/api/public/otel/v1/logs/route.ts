// Same handler as /v1/logs, for SDKs configured with a base path.
import { handleDiscardExport } from "@/lib/otlp/handle-export";

export function POST(req: Request): Promise<Response> {
  return handleDiscardExport(req);
}
