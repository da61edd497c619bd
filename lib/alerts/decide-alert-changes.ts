// The pure core of alerting: given the active alert (if any) and a group of anomalies with the
// same fingerprint, decide what to write. Database adapters (Prisma, raw SQL) only apply this.
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
  title: string;
  /** Null keeps the current explanation (the new anomalies are less severe than what it describes). */
  explanation: string | null;
  lastNotifiedAt: Date | null;
  lastNotifiedSeverity: string | null;
}

export interface AlertChanges {
  /** The active alert went quiet for resolveAfterMs before this group: close it, then open a new one. */
  resolveExisting: { id: string; resolvedAt: Date } | null;
  /** "create" opens a new alert; "update" changes the active one (id given). */
  write: { kind: "create"; fields: AlertFields } | { kind: "update"; id: string; fields: AlertFields };
  /** The anomaly that best describes the alert now (highest severity, then score, then latest). */
  representative: AnomalyForAlert;
  notify: { reason: NotifyReason; channelIds: string[] } | null;
}

export function pickRepresentative(anomalies: readonly AnomalyForAlert[]): AnomalyForAlert {
  let best = anomalies[0];
  if (!best) throw new Error("pickRepresentative needs at least one anomaly");
  for (const a of anomalies) {
    const bySeverity = severityRank(a.severity) - severityRank(best.severity);
    if (bySeverity > 0 || (bySeverity === 0 && (a.score > best.score || (a.score === best.score && a.createdAt > best.createdAt)))) best = a;
  }
  return best;
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
): AlertChanges {
  const representative = pickRepresentative(group);
  const groupSeverity: Severity = normalizeSeverity(representative.severity);
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
  const describes = !active || severityRank(representative.severity) >= severityRank(active.severity);
  const fields: AlertFields = {
    severity,
    status: active?.status === "acknowledged" ? "acknowledged" : "open",
    count: (active?.count ?? 0) + group.length,
    firstSeenAt: active && active.firstSeenAt < firstAt ? active.firstSeenAt : firstAt,
    lastSeenAt: active && active.lastSeenAt > lastAt ? active.lastSeenAt : lastAt,
    lastTraceId: last.traceId,
    title: alertTitle(representative.detector, representative.entity),
    explanation: describes ? representative.explanation : null,
    lastNotifiedAt: active?.lastNotifiedAt ?? null,
    lastNotifiedSeverity: active?.lastNotifiedSeverity ?? null,
  };

  let notify: AlertChanges["notify"] = null;
  const reason = decideNotifyReason(fields, policy, now);
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
    representative,
    notify,
  };
}
