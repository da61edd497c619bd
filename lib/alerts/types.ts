// Shapes shared by the alert state machine and its database adapters.
export interface AnomalyForAlert {
  id: string;
  projectId: string;
  detector: string;
  entity: string;
  severity: string;
  score: number;
  explanation: string;
  fingerprint: string;
  traceId: string;
  createdAt: Date;
  /** Optional extras that make notifications richer; callers that have them should pass them. */
  spanId?: string | null;
  metric?: string | null;
  observed?: number | null;
  expected?: number | null;
  agent?: string | null;
  step?: string | null;
  model?: string | null;
  /** When the behaviour happened (createdAt is when it was detected). */
  occurredAt?: Date | null;
}

export type AlertStatus = "open" | "acknowledged" | "resolved";

/** The fields of an alert the state machine reads. */
export interface AlertState {
  id: string;
  status: string;
  severity: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastNotifiedAt: Date | null;
  lastNotifiedSeverity: string | null;
  /** The anomaly the title and explanation describe; null for alerts recorded before headlines existed. */
  headlineAnomalyId?: string | null;
}

export interface ChannelForAlert {
  id: string;
  type: string;
  minSeverity: string;
  enabled: boolean;
}

export type NotifyReason = "opened" | "escalated" | "reminder" | "resolved" | "test";
