// Shapes shared by the scoring pipeline and its store.
import type { Severity } from "../alerts/severity";
import type { Detector } from "./settings";

/** One span as the scorer reads it (times in ms). */
export interface SpanRecord {
  seq: number;
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: string;
  service: string;
  agent: string | null;
  step: string;
  model: string | null;
  startMs: number;
  endMs: number;
  durationMs: number;
  statusCode: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  argsHash: string | null;
  receivedMs: number;
  anomalyScore: number | null;
}

export interface AnomalyDraft {
  projectId: string;
  traceId: string;
  spanId: string | null;
  spanSeq: number | null;
  detector: Detector;
  metric: string;
  entity: string;
  observed: number | null;
  expected: number | null;
  expectedLow: number | null;
  expectedHigh: number | null;
  score: number;
  severity: Severity;
  explanation: string;
  details: Record<string, unknown>;
  fingerprint: string;
  dedupKey: string;
  /** When the behaviour happened (span or run start, rate change start) and ended, in ms; detection time is the commit's. */
  occurredMs: number;
  occurredEndMs: number | null;
}

export function fingerprintOf(projectId: string, detector: string, entity: string): string {
  return `${projectId}:${detector}:${entity}`;
}
