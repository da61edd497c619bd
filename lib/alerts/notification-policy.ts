// When an alert change deserves a notification, and to which channels.
import type { AlertPolicy } from "./policy";
import { meetsSeverity, severityRank } from "./severity";
import type { ChannelForAlert, NotifyReason } from "./types";

export interface NotifyInput {
  status: string;
  /** Severity after the change. */
  severity: string;
  lastNotifiedAt: Date | null;
  lastNotifiedSeverity: string | null;
}

/**
 * First notification → "opened"; severity above what was last sent → "escalated" (even when
 * acknowledged: it got worse); still open and firing after renotifyMs → "reminder"; else nothing.
 */
export function decideNotifyReason(input: NotifyInput, policy: AlertPolicy, now: Date): NotifyReason | null {
  if (input.status === "resolved") return null;
  if (!input.lastNotifiedAt) return "opened";
  if (severityRank(input.severity) > severityRank(input.lastNotifiedSeverity)) return "escalated";
  if (input.status === "open" && policy.renotifyMs > 0 && now.getTime() - input.lastNotifiedAt.getTime() >= policy.renotifyMs) {
    return "reminder";
  }
  return null;
}

export function eligibleChannels<C extends ChannelForAlert>(channels: readonly C[], severity: string): C[] {
  return channels.filter((c) => c.enabled && meetsSeverity(severity, c.minSeverity));
}

export function idempotencyKeyFor(alertId: string, reason: NotifyReason, sequence: number | string, channelId: string): string {
  return `${alertId}:${reason}:${sequence}:${channelId}`;
}
