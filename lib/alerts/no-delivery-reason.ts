// Why an alert has no delivery, told from the project's channels (the alert detail page shows it). Pure.
import { meetsSeverity } from "./severity";

export interface ChannelForReason {
  name: string;
  enabled: boolean;
  minSeverity: string;
  createdAt: Date;
}

export function noDeliveryReason(alert: { severity: string; firstSeenAt: Date }, channels: readonly ChannelForReason[]): string {
  if (channels.length === 0) return "No notification sent: this project has no alert channel. Add a Slack or webhook channel in Settings.";
  const enabled = channels.filter((c) => c.enabled);
  if (enabled.length === 0) return `No notification sent: every channel of this project is disabled (${names(channels)}).`;
  const taking = enabled.filter((c) => meetsSeverity(alert.severity, c.minSeverity));
  if (taking.length === 0) {
    const minimums = enabled.map((c) => `${c.name}: ${c.minSeverity}`).join(", ");
    return `No notification sent: no enabled channel takes ${alert.severity} alerts (minimum severity ${minimums}).`;
  }
  // A channel notifies alerts opened (or escalated) after it exists; repeats of an open alert are not news.
  if (taking.every((c) => c.createdAt > alert.firstSeenAt)) return `No notification sent: the alert was opened before ${names(taking)} existed, and repeats of an open alert are not notified.`;
  return `No delivery recorded yet, although ${names(taking)} take ${alert.severity} alerts: the notifier worker sends it within seconds when it runs (npm start runs it).`;
}

const names = (channels: readonly ChannelForReason[]) => channels.map((c) => `"${c.name}"`).join(", ");
