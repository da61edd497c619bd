// OTLP/protobuf → decoded spans. Works on protobufjs message objects directly (no toObject pass).
import { AppError } from "../errors";
import { requestProblem, SpanCollector } from "./collect";
import { currentLimits, DROPPED_KEYS, dropValues, keptCount, valueBudget, type ValueBudget } from "./limits";
import { otlpTypes } from "./proto";
import type { Attributes, AttrValue, DecodedSpan, DecodeResult, ResourceInfo, SpanEvent, SpanLink } from "./types";
import { bytesId, clean, DROPPED, longNanos, longValue, serviceName, setAttribute, SpanProblem } from "./values";

interface PbAnyValue {
  value?: string;
  stringValue: string;
  boolValue: boolean;
  intValue: { low: number; high: number } | number;
  doubleValue: number;
  arrayValue: { values: PbAnyValue[] } | null;
  kvlistValue: { values: PbKeyValue[] } | null;
  bytesValue: Uint8Array;
}
interface PbKeyValue {
  key: string;
  value: PbAnyValue | null;
}
type Long = { low: number; high: number };
interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: Long | number;
  endTimeUnixNano: Long | number;
  attributes: PbKeyValue[];
  events: { timeUnixNano: Long | number; name: string; attributes: PbKeyValue[] }[];
  links: { traceId: Uint8Array; spanId: Uint8Array; traceState: string; attributes: PbKeyValue[] }[];
  status: { code: number; message: string } | null;
}
interface PbRequest {
  resourceSpans: {
    resource: { attributes: PbKeyValue[] } | null;
    scopeSpans: { scope: { name: string } | null; spans: PbSpan[] }[];
  }[];
}

function scalarValue(value: PbAnyValue): AttrValue {
  switch (value.value) {
    case "stringValue":
      return clean(value.stringValue);
    case "boolValue":
      return value.boolValue;
    case "intValue":
      return longValue(value.intValue);
    case "doubleValue":
      return Number.isFinite(value.doubleValue) ? value.doubleValue : String(value.doubleValue);
    case "bytesValue":
      return clean(Buffer.from(value.bytesValue).toString("base64"));
    default:
      return null;
  }
}

/** Same budget and depth rules as the JSON decoder (limits.ts ValueBudget). */
function anyValue(value: PbAnyValue | null | undefined, field: string, depth: number, budget: ValueBudget): AttrValue | typeof DROPPED {
  if (!value) return null;
  if (value.value === "arrayValue" || value.value === "kvlistValue") {
    if (depth >= currentLimits().maxAttributeDepth) {
      dropValues(budget, 1);
      return DROPPED;
    }
    if (value.value === "kvlistValue") return attributes(value.kvlistValue?.values ?? [], `${field}.kvlistValue.values`, depth + 1, budget);
    const items = value.arrayValue?.values ?? [];
    const out: AttrValue[] = [];
    for (let i = 0; i < items.length; i++) {
      if (budget.left <= 0) {
        dropValues(budget, items.length - i);
        break;
      }
      const v = anyValue(items[i], `${field}.arrayValue.values[${i}]`, depth + 1, budget);
      if (v !== DROPPED) out.push(v);
    }
    return out;
  }
  const v = scalarValue(value);
  if (v === null) return null;
  if (budget.left <= 0) {
    dropValues(budget, 1);
    return DROPPED;
  }
  budget.left -= 1;
  return v;
}

function attributes(items: PbKeyValue[], field: string, depth = 0, budget: ValueBudget = valueBudget()): Attributes {
  const out: Attributes = {};
  const kept = depth === 0 ? keptCount(items.length, "attributes") : items.length;
  for (let i = 0; i < kept; i++) {
    if (depth > 0 && budget.left <= 0) {
      dropValues(budget, kept - i);
      break;
    }
    const item = items[i]!;
    const v = anyValue(item.value, `${field}[${i}].value`, depth, budget);
    if (v !== DROPPED) setAttribute(out, clean(item.key), v);
  }
  if (kept < items.length) out[DROPPED_KEYS.attributes] = items.length - kept;
  if (depth === 0 && budget.dropped > 0) out[DROPPED_KEYS.values] = budget.dropped;
  return out;
}

function events(all: PbSpan["events"], spanAttributes: Attributes): SpanEvent[] | null {
  if (all.length === 0) return null;
  const items = all.slice(0, keptCount(all.length, "events"));
  if (items.length < all.length) spanAttributes[DROPPED_KEYS.events] = all.length - items.length;
  return items.map((e, i) => ({
    name: clean(e.name),
    timeUnixNano: longNanos(e.timeUnixNano, `events[${i}].timeUnixNano`, false).toString(),
    attributes: attributes(e.attributes, `events[${i}].attributes`),
  }));
}

function links(all: PbSpan["links"], spanAttributes: Attributes): SpanLink[] | null {
  if (all.length === 0) return null;
  const items = all.slice(0, keptCount(all.length, "links"));
  if (items.length < all.length) spanAttributes[DROPPED_KEYS.links] = all.length - items.length;
  return items.map((l, i) => {
    const link: SpanLink = {
      traceId: bytesId(l.traceId, 16, `links[${i}].traceId`, true)!,
      spanId: bytesId(l.spanId, 8, `links[${i}].spanId`, true)!,
      attributes: attributes(l.attributes, `links[${i}].attributes`),
    };
    if (l.traceState) link.traceState = clean(l.traceState);
    return link;
  });
}

function span(raw: PbSpan, resource: ResourceInfo, scope: string | null): DecodedSpan {
  const traceId = bytesId(raw.traceId, 16, "traceId", true)!;
  const spanId = bytesId(raw.spanId, 8, "spanId", true)!;
  const parentSpanId = bytesId(raw.parentSpanId, 8, "parentSpanId", false);
  const startNs = longNanos(raw.startTimeUnixNano, "startTimeUnixNano", true);
  const endNs = longNanos(raw.endTimeUnixNano, "endTimeUnixNano", true);
  if (endNs < startNs) throw new SpanProblem("endTimeUnixNano", "is before startTimeUnixNano");
  if (raw.kind < 0 || raw.kind > 5) throw new SpanProblem("kind", `must be 0..5, got ${raw.kind}`);
  const statusCode = raw.status?.code ?? 0;
  if (statusCode < 0 || statusCode > 2) throw new SpanProblem("status.code", `must be 0..2, got ${statusCode}`);
  const spanAttributes = attributes(raw.attributes, "attributes");
  return {
    traceId,
    spanId,
    parentSpanId,
    name: clean(raw.name),
    otelKind: raw.kind,
    startNs,
    endNs,
    attributes: spanAttributes,
    events: events(raw.events, spanAttributes),
    links: links(raw.links, spanAttributes),
    statusCode,
    statusMessage: raw.status?.message ? clean(raw.status.message) : null,
    resource,
    scope,
  };
}

function decode(body: Buffer): PbRequest {
  try {
    // protobufjs 8 verifies proto3 strings with a fatal UTF-8 decoder.
    return otlpTypes().request.decode(body) as unknown as PbRequest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
      throw new AppError("bad_request", "A string field in the protobuf body is not valid UTF-8");
    }
    const reason = error instanceof RangeError && /call stack/i.test(error.message) ? "nested too deeply" : (error as Error).message;
    throw new AppError("bad_request", `Request body is not a valid OTLP ExportTraceServiceRequest protobuf: ${String(reason).slice(0, 200)}`);
  }
}

export function decodeProtobufRequest(body: Buffer): DecodeResult {
  const request = decode(body);
  const collector = new SpanCollector();
  request.resourceSpans.forEach((rs, r) => {
    let resource: ResourceInfo;
    try {
      const attrs = attributes(rs.resource?.attributes ?? [], "attributes");
      resource = { attributes: attrs, service: serviceName(attrs), json: JSON.stringify(attrs) };
    } catch (error) {
      requestProblem(`resourceSpans[${r}].resource`, error);
    }
    rs.scopeSpans.forEach((ss, s) => {
      const scope = ss.scope?.name ? clean(ss.scope.name) : null;
      ss.spans.forEach((raw, k) => collector.add(`resourceSpans[${r}].scopeSpans[${s}].spans[${k}]`, () => span(raw, resource, scope)));
    });
  });
  return collector.result();
}
