// OTLP/HTTP metrics: accepted (authenticated, size-limited) and not stored, so exporters configured for all signals work.
import { handleDiscardExport } from "@/lib/otlp/handle-export";

export function POST(req: Request): Promise<Response> {
  return handleDiscardExport(req);
}
