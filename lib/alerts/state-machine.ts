// Status transitions people and the auto-resolver make: open → acknowledged → resolved.
import { AppError } from "../errors";
import { isQuietSince } from "./decide-alert-changes";
import { eligibleChannels } from "./notification-policy";
import type { AlertPolicy } from "./policy";
import type { AlertState, ChannelForAlert } from "./types";

export type AlertAction = "acknowledge" | "resolve";

export interface Transition {
  /** False when the alert is already in the target state (the call is a no-op, not an error). */
  changed: boolean;
  status: "acknowledged" | "resolved";
}

export function applyAlertAction(status: string, action: AlertAction): Transition {
  if (action === "acknowledge") {
    if (status === "resolved") throw new AppError("conflict", "This alert is resolved; a recurrence opens a new alert");
    return { changed: status !== "acknowledged", status: "acknowledged" };
  }
  return { changed: status !== "resolved", status: "resolved" };
}

export interface ResolutionChanges {
  resolvedAt: Date;
  /** Channels told about the resolution: only when the alert was notified before. */
  notifyChannelIds: string[];
}

export function decideResolution(alert: AlertState, channels: readonly ChannelForAlert[], now: Date): ResolutionChanges {
  const notifyChannelIds = alert.lastNotifiedAt ? eligibleChannels(channels, alert.severity).map((c) => c.id) : [];
  return { resolvedAt: now, notifyChannelIds };
}

export function shouldAutoResolve(alert: AlertState, policy: AlertPolicy, now: Date): boolean {
  return isQuietSince(alert, policy, now);
}
