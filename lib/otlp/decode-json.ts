// OTLP/JSON (proto3 JSON mapping with hex ids) → decoded spans with precise problem locations.
import { isUtf8 } from "node:buffer";
import { AppError } from "../errors";
import { requestProblem, SpanCollector } from "./collect";
import { currentLimits, DROPPED_KEYS, dropValues, keptCount, valueBudget, type ValueBudget } from "./limits";
import { parseJsonBuffer } from "./parse-json-buffer";
import type { Attributes, AttrValue, DecodedSpan, DecodeResult, ResourceInfo, SpanEvent, SpanLink } from "./types";
import {
  DROPPED, enumValue, hexId, int64Value, jsonNanos, serviceName, SPAN_KIND_NAMES, SpanProblem, STATUS_CODE_NAMES, clean, setAttribute,
} from "./values";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SpanProblem(field, `must be an array, got ${typeof value}`);
  return value;
}

function optionalString(value: unknown, field: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new SpanProblem(field, `must be a string, got ${typeof value}`);
  return value;
}

/** A scalar takes one value from the budget; none left: dropped. */
function scalar(v: AttrValue, budget: ValueBudget): AttrValue | typeof DROPPED {
  if (budget.left <= 0) {
    dropValues(budget, 1);
    return DROPPED;
  }
  budget.left -= 1;
  return v;
}

function anyValue(value: unknown, field: string, depth: number, budget: ValueBudget): AttrValue | typeof DROPPED {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new SpanProblem(field, `must be an AnyValue object, got ${Array.isArray(value) ? "array" : typeof value}`);
  if ("arrayValue" in value || "kvlistValue" in value) return nested(value, field, depth, budget);
  const v = scalarValue(value, field);
  return v === null ? null : scalar(v, budget);
}

function nested(value: Json, field: string, depth: number, budget: ValueBudget): AttrValue | typeof DROPPED {
  if ("arrayValue" in value) {
    const arr = value.arrayValue;
    if (!isObject(arr)) throw new SpanProblem(`${field}.arrayValue`, "must be an object with a values array");
    const items = list(arr.values, `${field}.arrayValue.values`);
    if (depth >= currentLimits().maxAttributeDepth) {
      dropValues(budget, 1);
      return DROPPED;
    }
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
  const kv = value.kvlistValue;
  if (!isObject(kv)) throw new SpanProblem(`${field}.kvlistValue`, "must be an object with a values array");
  if (depth >= currentLimits().maxAttributeDepth) {
    list(kv.values, `${field}.kvlistValue.values`);
    dropValues(budget, 1);
    return DROPPED;
  }
  return attributes(kv.values, `${field}.kvlistValue.values`, depth + 1, budget);
}

function scalarValue(value: Json, field: string): AttrValue {
  if ("stringValue" in value) {
    const v = value.stringValue;
    if (typeof v !== "string") throw new SpanProblem(`${field}.stringValue`, `must be a string, got ${typeof v}`);
    return clean(v);
  }
  if ("boolValue" in value) {
    if (typeof value.boolValue !== "boolean") throw new SpanProblem(`${field}.boolValue`, `must be true or false, got ${typeof value.boolValue}`);
    return value.boolValue;
  }
  if ("intValue" in value) {
    const v = value.intValue;
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^-?\d{1,19}$/.test(v)) return int64Value(v);
    throw new SpanProblem(`${field}.intValue`, `must be an integer or a decimal string, got ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  if ("doubleValue" in value) {
    const v = value.doubleValue;
    if (typeof v === "number") return v;
    if (v === "NaN" || v === "Infinity" || v === "-Infinity") return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    throw new SpanProblem(`${field}.doubleValue`, `must be a number, got ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  if ("bytesValue" in value) {
    const v = value.bytesValue;
    if (typeof v !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) throw new SpanProblem(`${field}.bytesValue`, "must be a base64 string");
    return clean(v);
  }
  return null;
}

function attributes(value: unknown, field: string, depth = 0, budget: ValueBudget = valueBudget()): Attributes {
  const out: Attributes = {};
  const items = list(value, field);
  const kept = depth === 0 ? keptCount(items.length, "attributes") : items.length;
  for (let i = 0; i < kept; i++) {
    if (depth > 0 && budget.left <= 0) {
      dropValues(budget, kept - i);
      break;
    }
    const item = items[i];
    if (!isObject(item)) throw new SpanProblem(`${field}[${i}]`, "must be a {key, value} object");
    if (typeof item.key !== "string") throw new SpanProblem(`${field}[${i}].key`, `must be a string, got ${typeof item.key}`);
    const v = anyValue(item.value, `${field}[${i}].value`, depth, budget);
    if (v !== DROPPED) setAttribute(out, clean(item.key), v);
  }
  if (kept < items.length) out[DROPPED_KEYS.attributes] = items.length - kept;
  if (depth === 0 && budget.dropped > 0) out[DROPPED_KEYS.values] = budget.dropped;
  return out;
}

function events(value: unknown, spanAttributes: Attributes): SpanEvent[] | null {
  const all = list(value, "events");
  if (all.length === 0) return null;
  const items = all.slice(0, keptCount(all.length, "events"));
  if (items.length < all.length) spanAttributes[DROPPED_KEYS.events] = all.length - items.length;
  return items.map((item, i) => {
    if (!isObject(item)) throw new SpanProblem(`events[${i}]`, "must be an object");
    const time = jsonNanos(item.timeUnixNano, `events[${i}].timeUnixNano`, false);
    return { name: clean(optionalString(item.name, `events[${i}].name`)), timeUnixNano: time.toString(), attributes: attributes(item.attributes, `events[${i}].attributes`) };
  });
}

function links(value: unknown, spanAttributes: Attributes): SpanLink[] | null {
  const all = list(value, "links");
  if (all.length === 0) return null;
  const items = all.slice(0, keptCount(all.length, "links"));
  if (items.length < all.length) spanAttributes[DROPPED_KEYS.links] = all.length - items.length;
  return items.map((item, i) => {
    if (!isObject(item)) throw new SpanProblem(`links[${i}]`, "must be an object");
    const link: SpanLink = {
      traceId: hexId(item.traceId, 16, `links[${i}].traceId`, true)!,
      spanId: hexId(item.spanId, 8, `links[${i}].spanId`, true)!,
      attributes: attributes(item.attributes, `links[${i}].attributes`),
    };
    const state = optionalString(item.traceState, `links[${i}].traceState`);
    if (state) link.traceState = clean(state);
    return link;
  });
}

function span(raw: unknown, resource: ResourceInfo, scope: string | null): DecodedSpan {
  if (!isObject(raw)) throw new SpanProblem("", `must be a Span object, got ${Array.isArray(raw) ? "array" : typeof raw}`);
  const traceId = hexId(raw.traceId, 16, "traceId", true)!;
  const spanId = hexId(raw.spanId, 8, "spanId", true)!;
  const parentSpanId = hexId(raw.parentSpanId, 8, "parentSpanId", false);
  const startNs = jsonNanos(raw.startTimeUnixNano, "startTimeUnixNano", true);
  const endNs = jsonNanos(raw.endTimeUnixNano, "endTimeUnixNano", true);
  if (endNs < startNs) throw new SpanProblem("endTimeUnixNano", "is before startTimeUnixNano");
  const status = raw.status;
  if (status !== undefined && status !== null && !isObject(status)) throw new SpanProblem("status", "must be an object");
  const statusMessage = optionalString(status?.message, "status.message");
  const spanAttributes = attributes(raw.attributes, "attributes");
  return {
    traceId,
    spanId,
    parentSpanId,
    name: clean(optionalString(raw.name, "name")),
    otelKind: enumValue(raw.kind, SPAN_KIND_NAMES, 5, "kind"),
    startNs,
    endNs,
    attributes: spanAttributes,
    events: events(raw.events, spanAttributes),
    links: links(raw.links, spanAttributes),
    statusCode: enumValue(status?.code, STATUS_CODE_NAMES, 2, "status.code"),
    statusMessage: statusMessage ? clean(statusMessage) : null,
    resource,
    scope,
  };
}

function parseJson(body: Buffer): unknown {
  if (!isUtf8(body)) throw new AppError("bad_request", "Request body is not valid UTF-8");
  try {
    return parseJsonBuffer(body);
  } catch (error) {
    throw new AppError("bad_request", `Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

function resourceInfo(raw: unknown, location: string): ResourceInfo {
  try {
    if (raw !== undefined && raw !== null && !isObject(raw)) throw new SpanProblem("", "must be an object");
    const attrs = attributes((raw as Json | undefined)?.attributes, "attributes");
    return { attributes: attrs, service: serviceName(attrs), json: JSON.stringify(attrs) };
  } catch (error) {
    return requestProblem(location, error);
  }
}

function scopeName(raw: unknown, location: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) return requestProblem(location, new SpanProblem("", "must be an object"));
  try {
    return clean(optionalString(raw.name, "name")) || null;
  } catch (error) {
    return requestProblem(location, error);
  }
}

function requestList(value: unknown, location: string): unknown[] {
  try {
    return list(value, "");
  } catch {
    throw new AppError("bad_request", `Invalid request: ${location} must be an array, got ${typeof value}`);
  }
}

export function decodeJsonRequest(body: Buffer): DecodeResult {
  const root = parseJson(body);
  if (!isObject(root)) throw new AppError("bad_request", "Request body must be a JSON object with a resourceSpans array");
  const collector = new SpanCollector();
  const resourceSpans = requestList(root.resourceSpans, "resourceSpans");
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const rLoc = `resourceSpans[${r}]`;
    if (!isObject(rs)) throw new AppError("bad_request", `Invalid request: ${rLoc} must be an object`);
    const resource = resourceInfo(rs.resource, `${rLoc}.resource`);
    const scopeSpans = requestList(rs.scopeSpans, `${rLoc}.scopeSpans`);
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss = scopeSpans[s];
      const sLoc = `${rLoc}.scopeSpans[${s}]`;
      if (!isObject(ss)) throw new AppError("bad_request", `Invalid request: ${sLoc} must be an object`);
      const scope = scopeName(ss.scope, `${sLoc}.scope`);
      const spans = requestList(ss.spans, `${sLoc}.spans`);
      for (let k = 0; k < spans.length; k++) collector.add(`${sLoc}.spans[${k}]`, () => span(spans[k], resource, scope));
    }
  }
  return collector.result();
}
