// Slack incoming-webhook message (Block Kit) for an alert notification, within Slack's limits.
import { alertUrl, escapeMrkdwn, formatMetricValue, traceUrl, truncate } from "./format";
import type { AlertNotification } from "./notification";

/** Limits from Slack's Block Kit reference; exceeding any makes Slack reject the whole message. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  /** The top-level fallback shown in notifications; Slack truncates long ones, keep it short. */
  fallbackText: 3000,
} as const;

const SEVERITY_EMOJI: Record<string, string> = {
  critical: ":red_circle:", high: ":large_orange_circle:", medium: ":large_yellow_circle:", low: ":large_blue_circle:", info: ":white_circle:",
};
const REASON_LABEL: Record<string, string> = {
  opened: "New alert", escalated: "Severity rose", reminder: "Still firing", resolved: "Resolved", test: "Test message",
};

type Text = { type: "plain_text" | "mrkdwn"; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: "header"; text: Text }
  | { type: "section"; text?: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] }
  | { type: "actions"; elements: Array<{ type: "button"; text: Text; url: string; action_id: string; style?: "primary" | "danger" }> }
  | { type: "divider" };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const mrkdwn = (text: string, max: number): Text => ({ type: "mrkdwn", text: truncate(text, max) });
const plain = (text: string, max: number): Text => ({ type: "plain_text", text: truncate(text, max), emoji: true });

export function buildSlackMessage(n: AlertNotification, publicUrl: string): SlackMessage {
  if (!n.alert) {
    return {
      text: "Argus test message: this channel receives Argus alerts.",
      blocks: [
        { type: "header", text: plain(":white_check_mark: Argus test message", SLACK_LIMITS.headerText) },
        { type: "section", text: mrkdwn(`This channel is set up to receive Argus alerts. Sent ${n.createdAt}.`, SLACK_LIMITS.sectionText) },
      ],
    };
  }
  const { alert, anomaly } = n;
  const resolved = n.reason === "resolved";
  const emoji = resolved ? ":white_check_mark:" : (SEVERITY_EMOJI[alert.severity] ?? ":white_circle:");
  const severity = alert.severity.toUpperCase();
  const title = `${emoji} ${resolved ? "Resolved: " : ""}${alert.title}`;

  const fields: Text[] = [
    mrkdwn(`*Severity*\n${severity}`, SLACK_LIMITS.fieldText),
    mrkdwn(`*Status*\n${resolved ? "resolved" : alert.status} · ${alert.count.toLocaleString("en-US")} anomal${alert.count === 1 ? "y" : "ies"}`, SLACK_LIMITS.fieldText),
  ];
  if (anomaly && (anomaly.observed !== null || anomaly.expected !== null)) {
    fields.push(mrkdwn(`*Observed*\n${formatMetricValue(anomaly.metric, anomaly.observed)}`, SLACK_LIMITS.fieldText));
    fields.push(mrkdwn(`*Usual*\n${formatMetricValue(anomaly.metric, anomaly.expected)}`, SLACK_LIMITS.fieldText));
  }
  for (const [label, value] of [["Agent", anomaly?.agent], ["Step", anomaly?.step], ["Model", anomaly?.model]] as const) {
    if (value) fields.push(mrkdwn(`*${label}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText));
  }
  if (!anomaly?.agent && !anomaly?.step) fields.push(mrkdwn(`*Entity*\n${escapeMrkdwn(alert.entity)}`, SLACK_LIMITS.fieldText));

  const buttons: Extract<SlackBlock, { type: "actions" }>["elements"] = [
    { type: "button", text: plain("Open alert", SLACK_LIMITS.buttonText), url: alertUrl(publicUrl, alert.id), action_id: "argus_open_alert", style: resolved ? undefined : "primary" },
  ];
  const traceId = anomaly?.traceId;
  if (traceId) buttons.push({ type: "button", text: plain("Open trace", SLACK_LIMITS.buttonText), url: traceUrl(publicUrl, traceId), action_id: "argus_open_trace" });
  for (const b of buttons) if (!b.style) delete b.style;

  const related = relatedSignalsText(n);
  const blocks: SlackBlock[] = [
    { type: "header", text: plain(title, SLACK_LIMITS.headerText) },
    { type: "section", text: mrkdwn(escapeMrkdwn(alert.explanation || alert.title), SLACK_LIMITS.sectionText) },
    { type: "section", fields: fields.slice(0, SLACK_LIMITS.fields) },
    ...(related ? [{ type: "section" as const, text: mrkdwn(related, SLACK_LIMITS.sectionText) }] : []),
    {
      type: "context",
      elements: [
        mrkdwn(`${REASON_LABEL[n.reason] ?? n.reason} · ${escapeMrkdwn(alert.detector)} · first seen ${alert.firstSeenAt} · last seen ${alert.lastSeenAt}`, SLACK_LIMITS.sectionText),
      ],
    },
    { type: "actions", elements: buttons.filter((b) => b.url.length <= SLACK_LIMITS.buttonUrl) },
  ];
  return {
    text: truncate(escapeMrkdwn(`${resolved ? "Resolved" : `[${severity}]`} ${alert.title}: ${alert.explanation}`), SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

/** "Related signals" as a bullet list (one line per kind, causes first), or null when there are none. */
function relatedSignalsText(n: AlertNotification): string | null {
  const signals = n.relatedSignals ?? [];
  if (signals.length === 0) return null;
  const lines = signals.map((s) => {
    const label = s.detector.replace(/_/g, " ");
    const times = s.count > 1 ? ` (×${s.count.toLocaleString("en-US")})` : "";
    return `• *${escapeMrkdwn(label.charAt(0).toUpperCase() + label.slice(1))}*${times}: ${escapeMrkdwn(s.explanation)}`;
  });
  const omitted = n.relatedSignalsOmitted ?? 0;
  if (omitted > 0) lines.push(`…and ${omitted.toLocaleString("en-US")} more`);
  return `*Related signals*\n${lines.join("\n")}`;
}
