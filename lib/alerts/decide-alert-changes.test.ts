import { describe, expect, it } from "vitest";
import { decideAlertChanges } from "./decide-alert-changes";
import type { AlertPolicy } from "./policy";
import type { AlertState, AnomalyForAlert, ChannelForAlert } from "./types";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const policy: AlertPolicy = { resolveAfterMs: 30 * MIN, renotifyMs: 60 * MIN };

function anomaly(over: Partial<AnomalyForAlert> = {}): AnomalyForAlert {
  return {
    id: "an1", projectId: "p1", detector: "latency", entity: "svc/agent/step/model", severity: "medium", score: 0.9,
    explanation: "latency 8.4 s vs usual 1.1 s", fingerprint: "fp", traceId: "t1", createdAt: T0, ...over,
  };
}
function alert(over: Partial<AlertState> = {}): AlertState {
  return {
    id: "a1", status: "open", severity: "medium", count: 3, firstSeenAt: at(-10 * MIN), lastSeenAt: at(-1 * MIN),
    lastNotifiedAt: at(-10 * MIN), lastNotifiedSeverity: "medium", ...over,
  };
}
const slackLow: ChannelForAlert = { id: "c-low", type: "slack", minSeverity: "low", enabled: true };
const hookHigh: ChannelForAlert = { id: "c-high", type: "webhook", minSeverity: "high", enabled: true };
const disabled: ChannelForAlert = { id: "c-off", type: "webhook", minSeverity: "info", enabled: false };
const channels = [slackLow, hookHigh, disabled];

describe("decideAlertChanges", () => {
  const cases: Array<{
    name: string; existing: AlertState | null; group: AnomalyForAlert[]; now?: Date;
    expectKind: "create" | "update"; reason: string | null; channelIds?: string[]; severity: string; count: number;
    status?: string; resolvesExisting?: boolean;
  }> = [
    { name: "first anomaly opens an alert and notifies eligible enabled channels", existing: null, group: [anomaly()],
      expectKind: "create", reason: "opened", channelIds: ["c-low"], severity: "medium", count: 1 },
    { name: "1,000 anomalies in one burst make one alert with count 1,000 and one notification", existing: null,
      group: Array.from({ length: 1000 }, (_, i) => anomaly({ id: `a${i}`, createdAt: at(i) })),
      expectKind: "create", reason: "opened", channelIds: ["c-low"], severity: "medium", count: 1000 },
    { name: "a recurrence while open only bumps the count (cooldown)", existing: alert(), group: [anomaly()],
      expectKind: "update", reason: null, severity: "medium", count: 4 },
    { name: "rising severity re-notifies as escalated, to the channels the new severity reaches", existing: alert(),
      group: [anomaly({ severity: "critical" })], expectKind: "update", reason: "escalated", channelIds: ["c-low", "c-high"], severity: "critical", count: 4 },
    { name: "lower severity never lowers the alert", existing: alert({ severity: "high", lastNotifiedSeverity: "high" }),
      group: [anomaly({ severity: "low" })], expectKind: "update", reason: null, severity: "high", count: 4 },
    { name: "still firing after the re-notify interval sends a reminder", existing: alert({ lastNotifiedAt: at(-61 * MIN) }),
      group: [anomaly()], expectKind: "update", reason: "reminder", channelIds: ["c-low"], severity: "medium", count: 4 },
    { name: "acknowledged alerts get no reminder", existing: alert({ status: "acknowledged", lastNotifiedAt: at(-61 * MIN) }),
      group: [anomaly()], expectKind: "update", reason: null, severity: "medium", count: 4, status: "acknowledged" },
    { name: "acknowledged alerts still escalate", existing: alert({ status: "acknowledged" }), group: [anomaly({ severity: "high" })],
      expectKind: "update", reason: "escalated", channelIds: ["c-low", "c-high"], severity: "high", count: 4, status: "acknowledged" },
    { name: "an alert below every channel's minimum is not notified", existing: null, group: [anomaly({ severity: "info" })],
      expectKind: "create", reason: null, severity: "info", count: 1 },
    { name: "a never-notified alert is notified as opened once it reaches a channel", existing: alert({ severity: "info", lastNotifiedAt: null, lastNotifiedSeverity: null }),
      group: [anomaly({ severity: "low" })], expectKind: "update", reason: "opened", channelIds: ["c-low"], severity: "low", count: 4 },
    { name: "a quiet alert the auto-resolver has not reached is resolved and a new alert opens", existing: alert({ lastSeenAt: at(-31 * MIN) }),
      group: [anomaly()], expectKind: "create", reason: "opened", channelIds: ["c-low"], severity: "medium", count: 1, resolvesExisting: true },
  ];

  it.each(cases)("$name", (c) => {
    const now = c.now ?? T0;
    const out = decideAlertChanges(c.existing, c.group, channels, policy, now);
    expect(out.write.kind).toBe(c.expectKind);
    expect(out.notify?.reason ?? null).toBe(c.reason);
    if (c.channelIds) expect(out.notify?.channelIds).toEqual(c.channelIds);
    expect(out.write.fields.severity).toBe(c.severity);
    expect(out.write.fields.count).toBe(c.count);
    expect(out.write.fields.status).toBe(c.status ?? "open");
    expect(out.resolveExisting !== null).toBe(c.resolvesExisting ?? false);
    if (out.notify) {
      expect(out.write.fields.lastNotifiedAt).toEqual(now);
      expect(out.write.fields.lastNotifiedSeverity).toBe(c.severity);
    }
  });

  it("keeps first/last seen as the widest window and the trace of the latest anomaly", () => {
    const out = decideAlertChanges(alert(), [anomaly({ createdAt: at(5), traceId: "late" }), anomaly({ createdAt: at(1), traceId: "early" })], channels, policy, T0);
    expect(out.write.fields.firstSeenAt).toEqual(at(-10 * MIN));
    expect(out.write.fields.lastSeenAt).toEqual(at(5));
    expect(out.write.fields.lastTraceId).toBe("late");
  });

  it("keeps the headline of an alert recorded before headlines when new anomalies are less severe", () => {
    const out = decideAlertChanges(alert({ severity: "high" }), [anomaly({ severity: "low", explanation: "minor" })], channels, policy, T0);
    expect(out.write.fields.headline).toBeNull();
  });

  const headlineCases = [
    { name: "a later loop of the same run takes the headline from its latency symptom",
      current: anomaly({ id: "lat", severity: "high", score: 0.97 }), group: [anomaly({ id: "loop", detector: "loop", metric: "repeated_call", severity: "medium", score: 0.8 })], takes: "loop" },
    { name: "a later chain length (a consequence) leaves the loop as headline, even when stronger",
      current: anomaly({ id: "loop", detector: "loop", metric: "repeated_call", severity: "medium", score: 0.8 }), group: [anomaly({ id: "len", detector: "chain_length", metric: "steps", severity: "critical", score: 0.99 })], takes: null },
    { name: "between symptoms, the stronger one takes the headline",
      current: anomaly({ id: "lat", severity: "medium", score: 0.8 }), group: [anomaly({ id: "cost", detector: "cost", metric: "cost_usd", severity: "high", score: 0.95 })], takes: "cost" },
  ];
  it.each(headlineCases)("$name", ({ current, group, takes }) => {
    const out = decideAlertChanges(alert({ headlineAnomalyId: current.id }), group, channels, policy, T0, { currentHeadline: current });
    expect(out.write.fields.headline?.anomalyId ?? null).toBe(takes);
    expect(out.headline.id).toBe(takes ?? current.id);
  });

  const continuationCases = [
    { name: "later signals of a notified run raise the severity without an escalation", existing: alert(), group: [anomaly({ severity: "critical" })], reason: null, severity: "critical" },
    { name: "later signals of a run send no reminder either", existing: alert({ lastNotifiedAt: at(-61 * MIN) }), group: [anomaly()], reason: null, severity: "medium" },
    { name: "a run's alert that now reaches a channel for the first time is opened", existing: alert({ severity: "info", lastNotifiedAt: null, lastNotifiedSeverity: null }), group: [anomaly({ severity: "low" })], reason: "opened", severity: "low" },
  ];
  it.each(continuationCases)("$name", ({ existing, group, reason, severity }) => {
    const out = decideAlertChanges(existing, group, channels, policy, T0, { continuesIncident: true });
    expect(out.notify?.reason ?? null).toBe(reason);
    expect(out.write.fields.severity).toBe(severity);
    expect(out.write.fields.lastNotifiedSeverity).toBe(reason ? severity : existing.lastNotifiedSeverity);
  });

  it("titles a new alert after its headline and takes the group's highest severity", () => {
    const group = [
      anomaly({ id: "len", detector: "chain_length", metric: "steps", entity: "svc/agent", severity: "critical", score: 0.99 }),
      anomaly({ id: "loop", detector: "loop", metric: "repeated_call", entity: "svc/agent", severity: "medium", score: 0.8, explanation: "loop: search called 7 times" }),
    ];
    const out = decideAlertChanges(null, group, channels, policy, T0);
    expect(out.write.fields.headline).toEqual({ anomalyId: "loop", title: "Loop anomaly on svc/agent", explanation: "loop: search called 7 times" });
    expect(out.write.fields.severity).toBe("critical");
    expect(out.notify?.channelIds).toEqual(["c-low", "c-high"]);
  });

  it("dates the resolution of a stale alert at the end of its quiet period", () => {
    const out = decideAlertChanges(alert({ lastSeenAt: at(-45 * MIN) }), [anomaly()], channels, policy, T0);
    expect(out.resolveExisting).toEqual({ id: "a1", resolvedAt: at(-15 * MIN) });
  });
});
