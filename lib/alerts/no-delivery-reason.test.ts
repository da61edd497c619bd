import { describe, expect, it } from "vitest";
import { noDeliveryReason, type ChannelForReason } from "./no-delivery-reason";

const T = new Date("2026-12-01T10:00:00Z");
const before = new Date("2026-11-30T10:00:00Z");
const after = new Date("2026-12-02T10:00:00Z");
const channel = (over: Partial<ChannelForReason> = {}): ChannelForReason => ({ name: "ops", enabled: true, minSeverity: "medium", createdAt: before, ...over });

describe("why an alert has no delivery", () => {
  it.each([
    { name: "no channel at all", channels: [], reason: /no alert channel\. Add a Slack or webhook channel/ },
    { name: "every channel disabled", channels: [channel({ enabled: false })], reason: /every channel of this project is disabled \("ops"\)/ },
    { name: "channels only for higher severities", channels: [channel({ minSeverity: "high" }), channel({ name: "pager", minSeverity: "critical" })], reason: /no enabled channel takes medium alerts \(minimum severity ops: high, pager: critical\)/ },
    { name: "a disabled channel would take it, the enabled one would not", channels: [channel({ enabled: false, minSeverity: "low" }), channel({ name: "pager", minSeverity: "critical" })], reason: /no enabled channel takes medium/ },
    { name: "the alert predates the channel", channels: [channel({ createdAt: after })], reason: /opened before "ops" existed/ },
    { name: "a channel that takes it existed", channels: [channel()], reason: /No delivery recorded yet, although "ops" take medium alerts/ },
  ])("$name", ({ channels, reason }) => {
    expect(noDeliveryReason({ severity: "medium", firstSeenAt: T }, channels)).toMatch(reason);
  });
});
