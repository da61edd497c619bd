// The fixed mapping of a NAB row to a span (pure). One row = one trace with one root span, a tool call:
//   service.name             "nab"
//   gen_ai.operation.name    "execute_tool"
//   gen_ai.tool.name         "<category>/<file stem>"        span name "execute_tool <category>/<file stem>"
//   start                    the row's timestamp (UTC)
//   duration                 the row's value in milliseconds (+ the file's shift when it has negative values)
//   status                   OK; kind INTERNAL
//   trace id / span id       first 16 / next 8 bytes of sha256("nab:<category>/<name>.csv:<row index>")
import { createHash } from "node:crypto";
import type { NabFile } from "./read-data";

export const NAB_SERVICE = "nab";
export const NAB_SCOPE = "argus-bench-nab";
const OTLP_KIND_INTERNAL = 1;
const OTLP_STATUS_OK = 1;

export function toolNameOf(file: Pick<NabFile, "category" | "stem">): string {
  return `${file.category}/${file.stem}`;
}

export function rowIds(rel: string, index: number): { traceId: string; spanId: string } {
  const hex = createHash("sha256").update(`nab:${rel}:${index}`).digest("hex");
  return { traceId: hex.slice(0, 32), spanId: hex.slice(32, 48) };
}

export function startNsOf(us: number): bigint {
  return BigInt(us) * 1000n;
}

/** The row's value (plus the file's shift) as a duration in whole nanoseconds: the spans table's resolution. */
export function durationNsOf(value: number, shift: number): bigint {
  const ns = Math.round((value + shift) * 1e6);
  if (!Number.isSafeInteger(ns) || ns < 0) throw new Error(`value ${value} (shift ${shift}) is not a duration of 0 to 2^53 ns`);
  return BigInt(ns);
}

/** Row indices in export order: by timestamp, ties in file order. */
export function exportOrder(file: Pick<NabFile, "rows">): number[] {
  return file.rows.map((_, i) => i).sort((a, b) => file.rows[a]!.us - file.rows[b]!.us || a - b);
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** The OTLP/JSON span of row `index`. */
export function rowToSpan(file: NabFile, index: number): Record<string, unknown> {
  const row = file.rows[index]!;
  const tool = toolNameOf(file);
  const { traceId, spanId } = rowIds(file.rel, index);
  const startNs = startNsOf(row.us);
  return {
    traceId,
    spanId,
    name: `execute_tool ${tool}`,
    kind: OTLP_KIND_INTERNAL,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + durationNsOf(row.num, file.shift)).toString(),
    attributes: [str("gen_ai.operation.name", "execute_tool"), str("gen_ai.tool.name", tool)],
    status: { code: OTLP_STATUS_OK },
  };
}

/** An OTLP/JSON ExportTraceServiceRequest with the spans of the given rows. */
export function otlpRequest(file: NabFile, indices: readonly number[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", NAB_SERVICE)] },
        scopeSpans: [{ scope: { name: NAB_SCOPE }, spans: indices.map((i) => rowToSpan(file, i)) }],
      },
    ],
  };
}

/** Export batches of at most `size` rows, in export order. */
export function exportBatches(file: NabFile, size: number): number[][] {
  const order = exportOrder(file);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}
