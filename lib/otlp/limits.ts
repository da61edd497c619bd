// Per-request ingestion limits (OTel SDK defaults: 128 attributes, events and links per span).
// Decoding is synchronous, so the limits and the tally of what was cut live in a module-level scope set
// by withIngestLimits() for the duration of one decode; the decoders read them without extra parameters.
import type { Env } from "../env";

export interface IngestLimits {
  maxSpansPerRequest: number;
  maxAttributesPerSpan: number;
  maxEventsPerSpan: number;
  maxLinksPerSpan: number;
  /** Longer attribute strings are cut and end with a "…[truncated N chars]" marker. */
  maxAttributeChars: number;
  /** Scalar values per attribute set (a span's, an event's, a link's, a resource's), nested ones included. */
  maxAttributeValues: number;
  /** Arrays and key-value lists nested deeper than this are dropped. */
  maxAttributeDepth: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxSpansPerRequest: 50_000,
  maxAttributesPerSpan: 128,
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
  maxAttributeChars: 128 * 1024,
  maxAttributeValues: 1024,
  maxAttributeDepth: 8,
};

export function ingestLimitsFromEnv(env: Env): IngestLimits {
  return {
    maxSpansPerRequest: env.ARGUS_MAX_SPANS_PER_REQUEST,
    maxAttributesPerSpan: env.ARGUS_MAX_ATTRIBUTES_PER_SPAN,
    maxEventsPerSpan: env.ARGUS_MAX_EVENTS_PER_SPAN,
    maxLinksPerSpan: env.ARGUS_MAX_LINKS_PER_SPAN,
    maxAttributeChars: env.ARGUS_MAX_ATTRIBUTE_CHARS,
    maxAttributeValues: env.ARGUS_MAX_ATTRIBUTE_VALUES,
    maxAttributeDepth: env.ARGUS_MAX_ATTRIBUTE_DEPTH,
  };
}

/** Attributes added to a span (or event/link) that lost data, so the dashboard can say so. */
export const DROPPED_KEYS = {
  attributes: "argus.dropped_attributes_count",
  events: "argus.dropped_events_count",
  links: "argus.dropped_links_count",
  values: "argus.dropped_values_count",
} as const;

export interface LimitTally {
  droppedAttributes: number;
  droppedEvents: number;
  droppedLinks: number;
  truncatedValues: number;
  /** Nested values dropped over maxAttributeValues or maxAttributeDepth. */
  droppedValues: number;
}

const emptyTally = (): LimitTally => ({ droppedAttributes: 0, droppedEvents: 0, droppedLinks: 0, truncatedValues: 0, droppedValues: 0 });

let active: IngestLimits = DEFAULT_INGEST_LIMITS;
let tally: LimitTally = emptyTally();

export function currentLimits(): IngestLimits {
  return active;
}

/** Runs a synchronous decode under `limits` and returns its result with what the limits cut. */
export function withIngestLimits<T>(limits: IngestLimits, decode: () => T): { result: T; tally: LimitTally } {
  const previous = { active, tally };
  active = limits;
  tally = emptyTally();
  try {
    return { result: decode(), tally };
  } finally {
    active = previous.active;
    tally = previous.tally;
  }
}

export function countTruncatedValue(): void {
  tally.truncatedValues += 1;
}

/**
 * Values left for one attribute set. Nested arrays and key-value lists count leaf by leaf: without this a
 * single attribute holding 300k nested keys was accepted whole and stalled decoding and rendering.
 */
export interface ValueBudget {
  left: number;
  dropped: number;
}

export function valueBudget(): ValueBudget {
  return { left: active.maxAttributeValues, dropped: 0 };
}

export function dropValues(budget: ValueBudget, n: number): void {
  budget.dropped += n;
  tally.droppedValues += n;
}

/** How many of `count` items to keep under `max`; the excess is tallied under `kind`. */
export function keptCount(count: number, kind: "attributes" | "events" | "links"): number {
  const max = kind === "attributes" ? active.maxAttributesPerSpan : kind === "events" ? active.maxEventsPerSpan : active.maxLinksPerSpan;
  if (count <= max) return count;
  const dropped = count - max;
  if (kind === "attributes") tally.droppedAttributes += dropped;
  else if (kind === "events") tally.droppedEvents += dropped;
  else tally.droppedLinks += dropped;
  return max;
}

/** A warning for OTLP partial_success.error_message, or "" when nothing was cut. */
export function describeTally(t: LimitTally, limits: IngestLimits): string {
  const parts: string[] = [];
  if (t.droppedAttributes) parts.push(`${t.droppedAttributes} attribute(s) dropped over the limit of ${limits.maxAttributesPerSpan} per span/event/link`);
  if (t.droppedEvents) parts.push(`${t.droppedEvents} event(s) dropped over the limit of ${limits.maxEventsPerSpan} per span`);
  if (t.droppedLinks) parts.push(`${t.droppedLinks} link(s) dropped over the limit of ${limits.maxLinksPerSpan} per span`);
  if (t.truncatedValues) parts.push(`${t.truncatedValues} string value(s) truncated to ${limits.maxAttributeChars} characters`);
  if (t.droppedValues) {
    parts.push(`${t.droppedValues} nested attribute value(s) dropped over the limits of ${limits.maxAttributeValues} values and ${limits.maxAttributeDepth} levels per attribute set`);
  }
  return parts.join("; ");
}
