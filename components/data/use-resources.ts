// One hook per resource. Polling keeps lists and charts live while the tab is visible.
"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "./api";
import { POLL_MS } from "./query-client";
import { qk } from "./query-keys";
import type { AgentsResponse, AlertDetailResponse, AlertList, AnomalyList, ApiKeyList, ChannelList, Facets, InviteList, MemberList, Overview, SessionInfo, SessionList, StepDistribution, TraceDetailResponse, TraceListResponse, TraceSessionDetail, TraceSessionList, TraceUserList, TransitionsResponse } from "./types";

export type { AgentsResponse, Overview, StepDistribution, TransitionsResponse } from "./types";

type Params = Record<string, string | number | undefined>;

export const useSession = () => useQuery({ queryKey: qk.session(), queryFn: () => apiFetch<SessionInfo>("/api/auth/session"), staleTime: 60_000 });

export const useOverview = (params: Params) =>
  useQuery({ queryKey: qk.overview(params), queryFn: () => apiFetch<Overview>(`/api/v1/overview${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

export const useFacets = () =>
  useQuery({ queryKey: qk.facets(), queryFn: () => apiFetch<Facets>("/api/v1/facets"), staleTime: 60_000 });

export const useTraces = (params: Params) =>
  useQuery({ queryKey: qk.traces(params), queryFn: () => apiFetch<TraceListResponse>(`/api/v1/traces${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

/** The trace page lists every anomaly of the trace: the trace-level ones and those the API nests under their span. */
function withAllAnomalies(detail: TraceDetailResponse) {
  return { ...detail, anomalies: [...detail.anomalies, ...detail.spans.flatMap((s) => s.anomalies)] };
}

export const useTrace = (traceId: string) =>
  useQuery({ queryKey: qk.trace(traceId), queryFn: async () => withAllAnomalies(await apiFetch<TraceDetailResponse>(`/api/v1/traces/${encodeURIComponent(traceId)}`)), refetchInterval: POLL_MS });

export const useTraceSessions = (params: Params) =>
  useQuery({ queryKey: qk.traceSessions(params), queryFn: () => apiFetch<TraceSessionList>(`/api/v1/sessions${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

export const useTraceSession = (sessionId: string, params: Params) =>
  useQuery({
    queryKey: qk.traceSession(sessionId, params),
    queryFn: () => apiFetch<TraceSessionDetail>(`/api/v1/sessions/${encodeURIComponent(sessionId)}${queryString(params)}`),
    refetchInterval: POLL_MS,
  });

export const useTraceUsers = (params: Params) =>
  useQuery({ queryKey: qk.traceUsers(params), queryFn: () => apiFetch<TraceUserList>(`/api/v1/users${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

export const useAnomalies = (params: Params) =>
  useQuery({ queryKey: qk.anomalies(params), queryFn: () => apiFetch<AnomalyList>(`/api/v1/anomalies${queryString(params)}`), refetchInterval: POLL_MS, placeholderData: keepPreviousData });

export const useAlerts = (params: Params) =>
  useQuery({
    queryKey: qk.alerts(params),
    queryFn: async () => (await apiFetch<AlertList>(`/api/v1/alerts${queryString(params)}`)).alerts,
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });

export const useAlert = (id: string) =>
  useQuery({
    queryKey: qk.alert(id),
    queryFn: async () => {
      const { alert, ...evidence } = await apiFetch<AlertDetailResponse>(`/api/v1/alerts/${encodeURIComponent(id)}`);
      return { ...alert, ...evidence };
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

export const useKeys = () => useQuery({ queryKey: qk.keys(), queryFn: async () => (await apiFetch<ApiKeyList>("/api/v1/keys")).keys });

export const useMembers = () => useQuery({ queryKey: qk.members(), queryFn: async () => (await apiFetch<MemberList>("/api/v1/members")).members });

export const useInvites = (enabled: boolean) => useQuery({ queryKey: qk.invites(), queryFn: async () => (await apiFetch<InviteList>("/api/v1/invites")).invites, enabled });

export const useSessions = () => useQuery({ queryKey: qk.sessions(), queryFn: async () => (await apiFetch<SessionList>("/api/auth/sessions")).sessions });

export const useChannels = () => useQuery({ queryKey: qk.channels(), queryFn: async () => (await apiFetch<ChannelList>("/api/v1/channels")).channels });

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
