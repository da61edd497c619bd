// Shapes the dashboard reads from the JSON API, derived from the lib/ functions that build each response
// (`import type` only: erased at build, so no server module reaches the browser bundle). A route returns what
// its lib/ function resolves to, serialized by toJson; JsonResponseOf<typeof fn> is that value as the browser
// parses it. A change to a response shape is then a type error wherever the dashboard reads a field that went away.
import type { getAlertDetail, listAlerts } from "@/lib/alerts/query-alerts";
import type { changePassword, signInOptions } from "@/lib/auth/accounts";
import type { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import type { describeSession, listUserSessions } from "@/lib/auth/session";
import type { getTraceWithAnomalies, listAnomalies } from "@/lib/detect/query-anomalies";
import type { Jsonify, JsonResponseOf } from "@/lib/http/json";
import type { createChannel, listChannels } from "@/lib/notify/channels";
import type { sendTestMessage } from "@/lib/notify/send-test-message";
import type { agentTransitions, describeStep, listAgentSteps } from "@/lib/queries/agents";
import type { listTraceFacets, listTraces } from "@/lib/queries/list-traces";
import type { buildOverview } from "@/lib/queries/overview";
import type { getTraceSession, listTraceSessions } from "@/lib/queries/trace-sessions";
import type { listTraceUsers } from "@/lib/queries/trace-users";
import type { listProjectsFor } from "@/lib/queries/projects";
import type { listMembers } from "@/lib/teams/members";
import type { acceptInvite, InviteCreated as InviteCreatedValue, listInvites, previewInvite } from "@/lib/teams/invites";

export type { Role } from "@/lib/auth/permissions";

/** GET /api/auth/session */
export type SessionInfo = JsonResponseOf<typeof describeSession>;
/** GET /api/auth/sessions */
export type SessionList = JsonResponseOf<typeof listUserSessions>;
export type SessionRow = SessionList["sessions"][number];

/** GET /api/v1/members, /api/v1/invites */
export type MemberList = JsonResponseOf<typeof listMembers>;
export type Member = MemberList["members"][number];
export type InviteList = JsonResponseOf<typeof listInvites>;
export type Invite = InviteList["invites"][number];

/** GET /api/invites/{token} (public: the link is the credential), POST /api/invites/{token}/accept */
export type InvitePreview = JsonResponseOf<typeof previewInvite>;
export type InviteAccepted = Pick<JsonResponseOf<typeof acceptInvite>, "projectId">;

/** GET /api/v1/keys */
export type ApiKeyList = JsonResponseOf<typeof listApiKeys>;
export type ApiKeyRow = ApiKeyList["keys"][number];

/** GET /api/v1/channels */
export type ChannelList = JsonResponseOf<typeof listChannels>;
export type Channel = ChannelList["channels"][number];

/** GET /api/v1/overview, /api/v1/facets */
export type Overview = JsonResponseOf<typeof buildOverview>;
export type Facets = JsonResponseOf<typeof listTraceFacets>;

/** GET /api/v1/agents, /api/v1/agents/steps, /api/v1/agents/transitions */
export type AgentsResponse = JsonResponseOf<typeof listAgentSteps>;
export type StepDistribution = JsonResponseOf<typeof describeStep>;
export type TransitionsResponse = JsonResponseOf<typeof agentTransitions>;

/** GET /api/v1/traces */
export type TraceListResponse = JsonResponseOf<typeof listTraces>;
export type TraceListItem = TraceListResponse["items"][number];

/** GET /api/v1/sessions, /api/v1/sessions/{id}: conversations (traces sharing a session id), not sign-in sessions. */
export type TraceSessionList = JsonResponseOf<typeof listTraceSessions>;
export type TraceSessionRow = TraceSessionList["items"][number];
export type TraceSessionDetail = JsonResponseOf<typeof getTraceSession>;
export type TraceSessionTurn = TraceSessionDetail["turns"][number];

/** GET /api/v1/users: the users of the agents (user ids on traces), not Argus accounts. */
export type TraceUserList = JsonResponseOf<typeof listTraceUsers>;
export type TraceUserRow = TraceUserList["items"][number];

/** GET /api/v1/anomalies */
export type AnomalyList = JsonResponseOf<typeof listAnomalies>;
export type Anomaly = AnomalyList["anomalies"][number];

/** GET /api/v1/traces/{traceId}: spans carry their own anomalies; `anomalies` holds the trace-level ones. */
export type TraceDetailResponse = JsonResponseOf<typeof getTraceWithAnomalies>;
export type Span = TraceDetailResponse["spans"][number];

/** GET /api/v1/alerts, /api/v1/alerts/{id} */
export type AlertList = JsonResponseOf<typeof listAlerts>;
export type Alert = AlertList["alerts"][number];
export type AlertDetailResponse = JsonResponseOf<typeof getAlertDetail>;
export type Delivery = AlertDetailResponse["deliveries"][number];
export type AlertSignal = AlertDetailResponse["signals"][number];
/** The alert page's anomalies: a narrower selection than the anomalies API (no details, no alert link). */
export type AlertAnomaly = AlertDetailResponse["anomalies"][number];

/** What an anomaly card shows: the fields both the alert page and the trace/anomaly pages have, plus the alert link where known. */
export type AnomalySummary = AlertAnomaly & Partial<Pick<Anomaly, "alertId">>;

// Mutation results.
/** POST /api/auth/password */
export type PasswordChanged = JsonResponseOf<typeof changePassword>;
/** POST /api/v1/keys: the only time the full key is shown. */
export type ApiKeyCreated = JsonResponseOf<typeof createApiKey>;
/** POST /api/v1/invites */
export type InviteCreated = Jsonify<InviteCreatedValue>;
/** POST /api/v1/channels: a webhook's secret is shown this once. */
export type ChannelCreated = JsonResponseOf<typeof createChannel>;
/** POST /api/v1/channels/{id}/test */
export type ChannelTestResult = JsonResponseOf<typeof sendTestMessage>;

/** GET /api/v1/projects and GET /api/auth/setup. */
export type ProjectList = JsonResponseOf<typeof listProjectsFor>;
export type ProjectRow = ProjectList["projects"][number];
export type SignInOptions = JsonResponseOf<typeof signInOptions>;
