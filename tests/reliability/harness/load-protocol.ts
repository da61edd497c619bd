// Messages between a test (load-client.ts) and the load generator process (load-process.ts).
import type { LoadStats } from "./load";

export interface LoadSpec {
  urls: string[];
  apiKey: string;
  /** Open loop: requests per second (changeable while running). Ignored when `concurrency` is set. */
  rate?: number;
  /** Closed loop with this many concurrent senders. */
  concurrency?: number;
  timeoutMs?: number;
  /** Resend batches answered 429/503 up to this many times, after their Retry-After. */
  retries?: number;
  /** Generated agent traffic with labeled anomalies (ends when exhausted); otherwise endless bench batches of 100 spans. */
  /** Generated traffic ending now. Use a whole day for durationMs: the generator follows a daily pattern, so a shorter window holds fewer or more traces depending on the hour. */
  workload?: { seed: number; traces: number; durationMs: number; anomalyRate: number; tracesPerRequest: number };
}

export type ParentMessage = { type: "rate"; rate: number } | { type: "urls"; urls: string[] } | { type: "stop" };

export interface TimelineEntry {
  at: number;
  status: number;
}

export type ChildMessage =
  | { type: "progress"; stats: LoadStats; timeline: TimelineEntry[] }
  | { type: "done"; stats: LoadStats; acked: Array<[string, number]> };
