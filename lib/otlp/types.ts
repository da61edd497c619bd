// What the OTLP decoders produce: one flat record per span, already checked, in storage-ready form.

/** An attribute value as stored: int64 beyond 2^53 becomes a decimal string, bytes become base64. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: Attributes;
}

/** Shared by every span of one ResourceSpans entry. */
export interface ResourceInfo {
  attributes: Attributes;
  service: string;
  /** JSON text of attributes, computed once per resource. */
  json: string;
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  otelKind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Attributes;
  events: SpanEvent[] | null;
  links: SpanLink[] | null;
  statusCode: number;
  statusMessage: string | null;
  resource: ResourceInfo;
  scope: string | null;
}

export interface DecodeResult {
  spans: DecodedSpan[];
  /** Spans that failed validation and are not stored. */
  rejected: number;
  /** The first few problems, each with its location (resourceSpans[i].scopeSpans[j].spans[k].field). */
  problems: string[];
  /** What the ingestion limits cut from accepted spans (dropped attributes/events/links, cut values). */
  truncated?: string;
}

export type OtlpEncoding = "json" | "protobuf";
