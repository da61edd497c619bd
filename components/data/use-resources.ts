// One hook per resource. Polling keeps lists and charts live while the tab is visible.
"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "./api";
import { POLL_MS } from "./query-client";
import { qk } from "./query-keys";
import { pickList, pickObject, type Alert, type AlertDetail, type Anomaly, type ApiKeyRow, type Channel, type Delivery, type Invite, type Member, type SessionInfo, type SessionRow, type Span, type TraceDetail, type TraceListResponse } from "./types";
import type { buildOverview } from "@/lib/queries/overview";
import type { listAgentSteps, describeStep, agentTransitions } from "@/lib/queries/agents";

type Params = Record<string, string | number | undefined>;
export type Overview = Awaited<ReturnType<typeof buildOverview>>;
export type AgentsResponse = Awaited<ReturnType<typeof listAgentSteps>>;
export type StepDistribution = Awaited<ReturnType<typeof describeStep>>;
export type TransitionsResponse = Awaited<ReturnType<typeof agentTransitions>>;

export const useSession = () => useQuery({ queryKey: qk.session(), queryFn: () => apiFetch<SessionInfo>("/api/auth/session"), staleTime: 60_000 });

export const useOverview = (params: Params) =>
  useQuery({ queryKey: qk.overview(params), queryFn: () => apiFetch<Overview>(`/api/v1/overview${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

export const useFacets = () =>
  useQuery({ queryKey: qk.facets(), queryFn: () => apiFetch<{ services: string[]; agents: string[]; models: string[] }>("/api/v1/facets"), staleTime: 60_000 });

export const useTraces = (params: Params) =>
  useQuery({ queryKey: qk.traces(params), queryFn: () => apiFetch<TraceListResponse>(`/api/v1/traces${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

function normalizeTrace(json: unknown): TraceDetail {
  const o = (json ?? {}) as Record<string, unknown>;
  const spans = pickList<Span>(o.spans ?? [], "spans");
  const top = pickList<Anomaly>(o.anomalies ?? [], "anomalies");
  const fromSpans = spans.flatMap((s) => s.anomalies ?? []);
  const byId = new Map([...top, ...fromSpans].map((a) => [a.id, a]));
  const trace = (o.trace ?? o) as TraceDetail["trace"];
  return { trace, spans, anomalies: [...byId.values()] };
}

export const useTrace = (traceId: string) =>
  useQuery({ queryKey: qk.trace(traceId), queryFn: async () => normalizeTrace(await apiFetch(`/api/v1/traces/${encodeURIComponent(traceId)}`)), refetchInterval: POLL_MS });

export const useAnomalies = (params: Params) =>
  useQuery({
    queryKey: qk.anomalies(params),
    queryFn: async () => {
      const json = await apiFetch<Record<string, unknown>>(`/api/v1/anomalies${queryString(params)}`);
      return { items: pickList<Anomaly>(json, "anomalies"), nextCursor: (json?.nextCursor as string | null) ?? null };
    },
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });

export const useAlerts = (params: Params) =>
  useQuery({
    queryKey: qk.alerts(params),
    queryFn: async () => pickList<Alert>(await apiFetch(`/api/v1/alerts${queryString(params)}`), "alerts"),
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });

export const useAlert = (id: string) =>
  useQuery({
    queryKey: qk.alert(id),
    queryFn: async () => {
      const json = await apiFetch<Record<string, unknown>>(`/api/v1/alerts/${encodeURIComponent(id)}`);
      const alert = pickObject<Alert>(json, "alert");
      return {
        ...alert,
        anomalies: pickList<Anomaly>(json.anomalies ?? (alert as Partial<AlertDetail>).anomalies ?? [], "anomalies"),
        deliveries: pickList<Delivery>(json.deliveries ?? (alert as Partial<AlertDetail>).deliveries ?? [], "deliveries"),
        traces: pickList<{ traceId: string; anomalies: number; lastSeenAt: string | null }>(json.traces ?? [], "traces"),
      };
    },
    refetchInterval: POLL_MS,
  });

export const useAgents = (params: Params) =>
  useQuery({ queryKey: qk.agents(params), queryFn: () => apiFetch<AgentsResponse>(`/api/v1/agents${queryString(params)}`), refetchInterval: 30_000, placeholderData: keepPreviousData });

export const useAgentStep = (params: { agent?: string; step?: string; metric: string }) =>
  useQuery({
    queryKey: qk.agentStep(params),
    queryFn: () => apiFetch<StepDistribution>(`/api/v1/agents/steps${queryString(params)}`),
    enabled: Boolean(params.agent && params.step),
    placeholderData: keepPreviousData,
  });

export const useAgentTransitions = (agent: string | undefined) =>
  useQuery({ queryKey: qk.agentTransitions(agent ?? ""), queryFn: () => apiFetch<TransitionsResponse>(`/api/v1/agents/transitions${queryString({ agent })}`), enabled: Boolean(agent) });

export const useKeys = () => useQuery({ queryKey: qk.keys(), queryFn: async () => pickList<ApiKeyRow>(await apiFetch("/api/v1/keys"), "keys") });

export const useMembers = () => useQuery({ queryKey: qk.members(), queryFn: async () => pickList<Member>(await apiFetch("/api/v1/members"), "members") });

export const useInvites = (enabled: boolean) => useQuery({ queryKey: qk.invites(), queryFn: async () => pickList<Invite>(await apiFetch("/api/v1/invites"), "invites"), enabled });

export const useSessions = () => useQuery({ queryKey: qk.sessions(), queryFn: async () => pickList<SessionRow>(await apiFetch("/api/auth/sessions"), "sessions") });

export const useChannels = () => useQuery({ queryKey: qk.channels(), queryFn: async () => pickList<Channel>(await apiFetch("/api/v1/channels"), "channels") });

/** A mutation that invalidates the given cache prefixes when it succeeds. */
export function useApiMutation<TBody, TResult = unknown>(request: (body: TBody) => { path: string; method: string; body?: unknown }, invalidate: readonly (readonly unknown[])[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => {
      const r = request(body);
      return apiFetch<TResult>(r.path, { method: r.method, body: r.body });
    },
    onSuccess: () => Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey: [queryKey[0]] }))),
  });
}
