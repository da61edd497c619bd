// Shapes the dashboard reads from the JSON API. Routes owned by other modules are read defensively.
import type { TraceListItem } from "@/lib/queries/list-traces";

export type Role = "viewer" | "member" | "owner";

export interface SessionInfo {
  user: { id: string; email: string; name: string | null; isAdmin: boolean; hasPassword: boolean };
  projectId: string | null;
  role: Role | null;
  projects: { id: string; name: string; role: Role }[];
}

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  isAdmin: boolean;
  signIn: "sso" | "password";
  joinedAt: string;
}

export interface Invite {
  id: string;
  role: Role;
  email: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface SessionRow {
  id: string;
  method: string;
  userAgent: string | null;
  address: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export type { TraceListItem };

export interface TraceListResponse {
  items: TraceListItem[];
  nextCursor: string | null;
}

export interface Anomaly {
  id: string;
  traceId: string;
  spanId: string | null;
  detector: string;
  metric: string;
  entity: string;
  observed: number | null;
  expected: number | null;
  expectedLow: number | null;
  expectedHigh: number | null;
  score: number;
  severity: string;
  explanation: string;
  details?: unknown;
  feedback: string | null;
  alertId: string | null;
  createdAt: string;
}

export interface Span {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service?: string;
  agent?: string | null;
  step?: string;
  model?: string | null;
  provider?: string | null;
  startNs: string;
  endNs: string;
  durationMs: number;
  statusCode: number;
  statusMessage?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  inputPreview?: string | null;
  outputPreview?: string | null;
  argsHash?: string | null;
  attributes?: Record<string, unknown> | null;
  events?: unknown;
  anomalyScore?: number | null;
  anomalies?: Anomaly[];
}

export interface TraceDetail {
  trace: Record<string, unknown> & { traceId: string; name?: string | null; agent?: string | null; service?: string | null; anomalyScore?: number | null };
  spans: Span[];
  anomalies: Anomaly[];
}

export interface Alert {
  id: string;
  status: string;
  severity: string;
  title: string;
  explanation: string;
  detector: string;
  entity: string;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  lastTraceId: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface Delivery {
  id: string;
  reason: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  channel?: { id: string; name: string; type: string } | null;
  channelId?: string;
}

export interface AlertDetail extends Alert {
  anomalies: Anomaly[];
  deliveries: Delivery[];
}

export interface Channel {
  id: string;
  type: string;
  name: string;
  url?: string;
  minSeverity: string;
  enabled: boolean;
  source?: string;
  createdAt?: string;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Lists from other modules may be `{items}`, `{<name>}` or a bare array. */
export function pickList<T>(json: unknown, name: string): T[] {
  if (Array.isArray(json)) return json as T[];
  const o = (json ?? {}) as Record<string, unknown>;
  const v = o.items ?? o[name] ?? o.data;
  return Array.isArray(v) ? (v as T[]) : [];
}

export function pickObject<T>(json: unknown, name: string): T {
  const o = (json ?? {}) as Record<string, unknown>;
  return (o[name] && typeof o[name] === "object" && !Array.isArray(o[name]) ? o[name] : o) as T;
}
