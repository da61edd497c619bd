// One query-key factory: every cache entry of the dashboard is named here.
export const qk = {
  session: () => ["session"] as const,
  projects: () => ["projects"] as const,
  overview: (params: object) => ["overview", params] as const,
  facets: () => ["facets"] as const,
  traces: (params: object) => ["traces", params] as const,
  trace: (traceId: string) => ["trace", traceId] as const,
  anomalies: (params: object) => ["anomalies", params] as const,
  alerts: (params: object) => ["alerts", params] as const,
  alert: (id: string) => ["alert", id] as const,
  agents: (params: object) => ["agents", params] as const,
  agentStep: (params: object) => ["agent-step", params] as const,
  agentTransitions: (agent: string) => ["agent-transitions", agent] as const,
  keys: () => ["keys"] as const,
  channels: () => ["channels"] as const,
};
