// Shapes shared by the adversarial traffic generator, its exporter model, the replay harness and the
// evaluation. Times are virtual milliseconds since the epoch.

export type AttrValue = string | number | boolean | string[];
export type Attr = [key: string, value: AttrValue];

/** One finished span as an instrumented process hands it to its BatchSpanProcessor. */
export interface SimSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  instance: number;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  otelKind: number;
  startMs: number;
  endMs: number;
  /** OTLP status: 0 unset, 1 ok, 2 error. */
  status: 0 | 1 | 2;
  statusMessage?: string;
  attrs: Attr[];
  /** Scope (instrumentation library) name. */
  scope: string;
}

/** One OTLP/HTTP export request as the server receives it. */
export interface ExportRequest {
  receivedMs: number;
  service: string;
  instance: number;
  spans: SimSpan[];
}

/** Injected anomaly classes (one evaluation table row per class and size). */
export type AnomalyClass =
  | "spike"
  | "regression"
  | "error_rate"
  | "fast_failure"
  | "empty_output"
  | "traffic_drop"
  | "traffic_surge"
  | "token_blowup"
  | "price_change"
  | "novel_tool"
  | "loop"
  | "chain_length";

/** What an episode is about: the narrower fields set, the narrower the key. */
export interface EpisodeKey {
  service: string;
  agent?: string;
  tool?: string;
  model?: string;
}

export interface Episode {
  id: string;
  cls: AnomalyClass;
  /** Size label, e.g. "5×", "→ 20 %", "to 0". */
  size: string;
  key: EpisodeKey;
  startMs: number;
  endMs: number;
  /** Trace-level episodes: the one trace; window episodes: every trace that touched the key meanwhile. */
  traceIds: string[];
  /** End times of the affected key's calls during the episode, in order (detection delay in calls). */
  callEndMs: number[];
  /** Span ids of those calls (same order). */
  callSpanIds: string[];
  /** The injected span, when the episode is one span. */
  spanId?: string;
  /** Where it was injected, when the size does not say (a spike on an "llm" call or a "tool"). */
  note?: string;
}

export interface TraceTruth {
  traceId: string;
  service: string;
  agent: string;
  startMs: number;
  endMs: number;
  /** Ids of episodes this trace is part of (empty: clean). */
  episodes: string[];
}

export interface ScenarioTraffic {
  name: string;
  suiteKind: "clean" | "injected";
  description: string;
  startMs: number;
  /** New runs start before this time; anomalies created later are the bench's end, not traffic. */
  endMs: number;
  warmupEndMs: number;
  requests: ExportRequest[];
  traces: TraceTruth[];
  episodes: Episode[];
  /** False alerts per 10,000 of what: traces, or calls for per-key scenarios (one run = one call). */
  unit: "traces" | "calls";
  /** Extra target on clean traffic: at most `max` anomaly rows about these spans (e.g. the upgraded model's calls). */
  watch?: { label: string; fromMs: number; spanIds: string[]; entityIncludes: string; max: number };
  stats: { runs: number; spans: number; requests: number; droppedSpans: number; lateFlushes: number };
}
