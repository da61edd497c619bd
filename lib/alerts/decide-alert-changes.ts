// The pure core of alerting: given the active alert (if any) and one incident's anomalies (a trace's
// signals, or repeats of a known cause), decide what to write. Database adapters only apply this.
import { headsBefore, pickHeadline } from "./incidents";
import { decideNotifyReason, eligibleChannels } from "./notification-policy";
import type { AlertPolicy } from "./policy";
import { maxSeverity, normalizeSeverity, severityRank, type Severity } from "./severity";
import type { AlertState, AnomalyForAlert, ChannelForAlert, NotifyReason } from "./types";

export interface AlertFields {
  severity: Severity;
  status: "open" | "acknowledged";
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastTraceId: string;
  /** The headline: null keeps the current one (the new anomalies explain less than what it describes). */
  headline: { anomalyId: string; title: string; explanation: string } | null;
  lastNotifiedAt: Date | null;
  lastNotifiedSeverity: string | null;
}

export interface AlertChanges {
  /** The active alert went quiet for resolveAfterMs before this group: close it, then open a new one. */
  resolveExisting: { id: string; resolvedAt: Date } | null;
  /** "create" opens a new alert; "update" changes the active one (id given). */
  write: { kind: "create"; fields: AlertFields } | { kind: "update"; id: string; fields: AlertFields };
  /** The anomaly that describes the alert after this change (lib/alerts/incidents.ts headsBefore). */
  headline: AnomalyForAlert;
  notify: { reason: NotifyReason; channelIds: string[] } | null;
}

export interface IncidentContext {
  /** The anomaly the active alert's headline describes, when the adapter could read it. */
  currentHeadline?: AnomalyForAlert | null;
  /**
   * The group continues an incident already recorded in this alert (later signals of the same traces).
   * It updates the alert but sends no escalation or reminder: people were told about this problem, and
   * one run's consequences (or its loop growing while it runs) are not a new one. A first notification
   * ("opened", when the alert now reaches a channel) is still sent.
   */
  continuesIncident?: boolean;
}

export function alertTitle(detector: string, entity: string): string {
  const label = detector.replace(/_/g, " ");
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} anomaly on ${entity}`;
}

/** True when the alert has been quiet long enough to resolve by itself at `at`. */
export function isQuietSince(alert: Pick<AlertState, "status" | "lastSeenAt">, policy: AlertPolicy, at: Date): boolean {
  return alert.status !== "resolved" && at.getTime() - alert.lastSeenAt.getTime() >= policy.resolveAfterMs;
}

export function decideAlertChanges(
  existing: AlertState | null,
  group: readonly AnomalyForAlert[],
  channels: readonly ChannelForAlert[],
  policy: AlertPolicy,
  now: Date,
  incident: IncidentContext = {},
): AlertChanges {
  const currentHeadline = incident.currentHeadline ?? null;
  const candidate = pickHeadline(group);
  const groupSeverity: Severity = normalizeSeverity(group.reduce((max, a) => maxSeverity(max, a.severity), "info" as string));
  let firstAt = group[0]!.createdAt;
  let lastAt = group[0]!.createdAt;
  let last = group[0]!;
  for (const a of group) {
    if (a.createdAt < firstAt) firstAt = a.createdAt;
    if (a.createdAt >= lastAt) {
      lastAt = a.createdAt;
      last = a;
    }
  }

  // An alert the auto-resolver has not reached yet still counts as resolved if it was quiet long enough.
  const stale = existing && existing.status !== "resolved" && isQuietSince(existing, policy, firstAt) ? existing : null;
  const active = existing && existing.status !== "resolved" && !stale ? existing : null;
  const resolveExisting = stale ? { id: stale.id, resolvedAt: new Date(stale.lastSeenAt.getTime() + policy.resolveAfterMs) } : null;

  const severity = active ? maxSeverity(active.severity, groupSeverity) : groupSeverity;
  // An alert recorded before headlines existed keeps the old rule: the most severe anomaly describes it.
  const takesHeadline = !active || (currentHeadline ? headsBefore(candidate, currentHeadline) : severityRank(candidate.severity) >= severityRank(active.severity));
  const headline = takesHeadline ? candidate : (currentHeadline ?? candidate);
  const fields: AlertFields = {
    severity,
    status: active?.status === "acknowledged" ? "acknowledged" : "open",
    count: (active?.count ?? 0) + group.length,
    firstSeenAt: active && active.firstSeenAt < firstAt ? active.firstSeenAt : firstAt,
    lastSeenAt: active && active.lastSeenAt > lastAt ? active.lastSeenAt : lastAt,
    lastTraceId: last.traceId,
    headline: takesHeadline ? { anomalyId: candidate.id, title: alertTitle(candidate.detector, candidate.entity), explanation: candidate.explanation } : null,
    lastNotifiedAt: active?.lastNotifiedAt ?? null,
    lastNotifiedSeverity: active?.lastNotifiedSeverity ?? null,
  };

  let notify: AlertChanges["notify"] = null;
  const decided = decideNotifyReason(fields, policy, now);
  const reason = incident.continuesIncident && active && decided !== "opened" ? null : decided;
  if (reason) {
    const channelIds = eligibleChannels(channels, severity).map((c) => c.id);
    if (channelIds.length > 0) {
      notify = { reason, channelIds };
      fields.lastNotifiedAt = now;
      fields.lastNotifiedSeverity = severity;
    }
  }

  return {
    resolveExisting,
    write: active ? { kind: "update", id: active.id, fields } : { kind: "create", fields },
    headline,
    notify,
  };
}
