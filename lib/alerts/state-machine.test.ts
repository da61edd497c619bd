import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { decideNotifyReason } from "./notification-policy";
import { maxSeverity, meetsSeverity, severityRank } from "./severity";
import { applyAlertAction, decideResolution, shouldAutoResolve } from "./state-machine";
import type { AlertState } from "./types";

const T0 = new Date("2026-01-01T00:00:00Z");
const MIN = 60_000;
const policy = { resolveAfterMs: 30 * MIN, renotifyMs: 60 * MIN };
const alert = (over: Partial<AlertState> = {}): AlertState => ({
  id: "a1", status: "open", severity: "high", count: 1, firstSeenAt: T0, lastSeenAt: T0, lastNotifiedAt: T0, lastNotifiedSeverity: "high", ...over,
});

describe("applyAlertAction", () => {
  const cases = [
    { name: "ack an open alert", status: "open", action: "acknowledge" as const, out: { changed: true, status: "acknowledged" } },
    { name: "ack twice is a no-op", status: "acknowledged", action: "acknowledge" as const, out: { changed: false, status: "acknowledged" } },
    { name: "resolve an open alert", status: "open", action: "resolve" as const, out: { changed: true, status: "resolved" } },
    { name: "resolve an acknowledged alert", status: "acknowledged", action: "resolve" as const, out: { changed: true, status: "resolved" } },
    { name: "resolve twice is a no-op", status: "resolved", action: "resolve" as const, out: { changed: false, status: "resolved" } },
  ];
  it.each(cases)("$name", ({ status, action, out }) => expect(applyAlertAction(status, action)).toEqual(out));
  it("refuses to acknowledge a resolved alert with a conflict", () => {
    expect(() => applyAlertAction("resolved", "acknowledge")).toThrow(AppError);
  });
});

describe("shouldAutoResolve", () => {
  const cases = [
    { name: "quiet exactly resolveAfterMs", a: alert({ lastSeenAt: new Date(T0.getTime() - 30 * MIN) }), out: true },
    { name: "seen recently", a: alert({ lastSeenAt: new Date(T0.getTime() - 29 * MIN) }), out: false },
    { name: "acknowledged and quiet", a: alert({ status: "acknowledged", lastSeenAt: new Date(T0.getTime() - 31 * MIN) }), out: true },
    { name: "already resolved", a: alert({ status: "resolved", lastSeenAt: new Date(T0.getTime() - 99 * MIN) }), out: false },
  ];
  it.each(cases)("$name", ({ a, out }) => expect(shouldAutoResolve(a, policy, T0)).toBe(out));
});

describe("decideResolution", () => {
  const channels = [
    { id: "low", type: "slack", minSeverity: "low", enabled: true },
    { id: "crit", type: "webhook", minSeverity: "critical", enabled: true },
  ];
  it("tells the channels that were told about the alert", () => {
    expect(decideResolution(alert(), channels, T0)).toEqual({ resolvedAt: T0, notifyChannelIds: ["low"] });
  });
  it("stays silent for an alert nobody was told about", () => {
    expect(decideResolution(alert({ lastNotifiedAt: null }), channels, T0).notifyChannelIds).toEqual([]);
  });
});

describe("decideNotifyReason", () => {
  const base = { status: "open", severity: "medium", lastNotifiedAt: T0, lastNotifiedSeverity: "medium" };
  const cases = [
    { name: "never notified", input: { ...base, lastNotifiedAt: null, lastNotifiedSeverity: null }, now: T0, out: "opened" },
    { name: "same severity within the interval", input: base, now: new Date(T0.getTime() + 59 * MIN), out: null },
    { name: "interval elapsed", input: base, now: new Date(T0.getTime() + 60 * MIN), out: "reminder" },
    { name: "severity rose", input: { ...base, severity: "high" }, now: T0, out: "escalated" },
    { name: "resolved never notifies", input: { ...base, status: "resolved", lastNotifiedAt: null }, now: T0, out: null },
  ];
  it.each(cases)("$name", ({ input, now, out }) => expect(decideNotifyReason(input, policy, now)).toBe(out));
  it("renotifyMs 0 disables reminders", () => {
    expect(decideNotifyReason(base, { ...policy, renotifyMs: 0 }, new Date(T0.getTime() + 999 * MIN))).toBeNull();
  });
});

describe("severity scale", () => {
  const cases = [
    { name: "info < critical", a: "info", b: "critical", max: "critical" },
    { name: "medium vs low", a: "medium", b: "low", max: "medium" },
    { name: "unknown ranks as info", a: "bogus", b: "low", max: "low" },
  ];
  it.each(cases)("$name", ({ a, b, max }) => expect(maxSeverity(a, b)).toBe(max));
  it("orders info < low < medium < high < critical", () => {
    expect(["critical", "info", "high", "low", "medium"].sort((x, y) => severityRank(x) - severityRank(y))).toEqual(["info", "low", "medium", "high", "critical"]);
    expect(meetsSeverity("high", "medium")).toBe(true);
    expect(meetsSeverity("low", "medium")).toBe(false);
  });
});
