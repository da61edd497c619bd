import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfterMs } from "./backoff";
import { escapeMrkdwn, formatMetricValue, truncate } from "./format";
import { buildAlertNotification, testNotification, type AlertNotification } from "./notification";
import { classifyStatus } from "./send-delivery";
import { buildSlackMessage, SLACK_LIMITS, type SlackMessage } from "./slack-message";
import { buildWebhookBody } from "./webhook-body";
import { signWebhook, verifyWebhook } from "./webhook-signature";

const NOW = new Date("2026-01-01T00:00:00Z");
const ALERT = {
  id: "al1", projectId: "p1", fingerprint: "fp", detector: "latency", entity: "checkout/support-agent/search_web/gpt-4o",
  title: "Latency anomaly on checkout/support-agent/search_web/gpt-4o", explanation: "latency 8.4 s vs usual 1.1 s (p99 2.0 s)",
  severity: "high", status: "open", count: 1000, firstSeenAt: NOW, lastSeenAt: NOW, resolvedAt: null,
};
const ANOMALY = {
  id: "an1", projectId: "p1", detector: "latency", entity: ALERT.entity, severity: "high", score: 0.97, explanation: ALERT.explanation,
  fingerprint: "fp", traceId: "abc123", createdAt: NOW, metric: "duration_ms", observed: 8400, expected: 1100, agent: "support-agent", step: "search_web", model: "gpt-4o",
};

function checkLimits(m: SlackMessage) {
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const b of m.blocks) {
    if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === "section") {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      expect(b.text || b.fields?.length).toBeTruthy();
    }
    if (b.type === "context") expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    if (b.type === "actions") for (const e of b.elements) {
      expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
      expect(e.url.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonUrl);
    }
  }
}

describe("buildSlackMessage", () => {
  const n = buildAlertNotification(ALERT, ANOMALY, "opened", NOW);
  it("has title, severity, explanation, observed vs usual, agent/step/model and links", () => {
    const m = buildSlackMessage(n, "https://argus.example.com");
    const json = JSON.stringify(m);
    expect(m.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    expect(json).toContain("Latency anomaly on checkout");
    expect(json).toContain("HIGH");
    expect(json).toContain("latency 8.4 s vs usual 1.1 s");
    expect(json).toContain("*Observed*\\n8.4 s");
    expect(json).toContain("*Usual*\\n1.1 s");
    expect(json).toContain("support-agent");
    expect(json).toContain("search_web");
    expect(json).toContain("gpt-4o");
    const actions = m.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({ elements: [{ url: "https://argus.example.com/alerts/al1" }, { url: "https://argus.example.com/traces/abc123" }] });
    checkLimits(m);
  });

  const huge = "x".repeat(10_000);
  const cases: Array<{ name: string; n: AlertNotification }> = [
    { name: "huge title, explanation and entity", n: buildAlertNotification({ ...ALERT, title: huge, explanation: huge, entity: huge }, { ...ANOMALY, agent: huge, step: huge, model: huge }, "escalated", NOW) },
    { name: "emoji at every cut point", n: buildAlertNotification({ ...ALERT, title: "😀".repeat(200), explanation: "😀".repeat(3000) }, ANOMALY, "opened", NOW) },
    { name: "resolved without anomaly", n: buildAlertNotification({ ...ALERT, status: "resolved" }, null, "resolved", NOW) },
    { name: "test message", n: testNotification(NOW) },
  ];
  it.each(cases)("stays within Slack's limits: $name", ({ n }) => checkLimits(buildSlackMessage(n, "https://argus.example.com")));

  it("escapes mrkdwn control characters in user data", () => {
    const m = buildSlackMessage(buildAlertNotification({ ...ALERT, explanation: "<!channel> & <http://x|y>" }, ANOMALY, "opened", NOW), "http://h");
    expect(JSON.stringify(m)).toContain("&lt;!channel&gt; &amp; &lt;http://x|y&gt;");
    expect(JSON.stringify(m)).not.toContain("<!channel>");
  });
});

describe("an incident's notification", () => {
  const loop = { ...ANOMALY, id: "loop", detector: "loop", metric: "repeated_call", entity: "checkout/support-agent", explanation: "loop: search_web called 9 times with the same arguments", step: "search_web", model: null, observed: 9, expected: null };
  const related = [
    { ...ANOMALY, id: "len", detector: "chain_length", metric: "steps", entity: "checkout/support-agent", explanation: "chain of 21 steps vs usual 5", score: 0.99 },
    { ...ANOMALY, id: "fan", detector: "fanout", metric: "children", entity: "checkout/support-agent", explanation: "fan-out of 21 child spans vs usual 5", score: 0.95 },
    ...[1, 2, 3].map((i) => ({ ...ANOMALY, id: `lat${i}`, score: 0.9 + i / 100, explanation: `latency <${i}> s` })),
  ];
  const n = buildAlertNotification({ ...ALERT, title: "Loop anomaly on checkout/support-agent" }, loop, "opened", NOW, [loop, ...related]);

  it("lists the related signals, one per kind, causes first, without the headline", () => {
    expect(n.relatedSignals!.map((s) => [s.detector, s.count])).toEqual([["chain_length", 1], ["fanout", 1], ["latency", 3]]);
    expect(n.relatedSignalsOmitted).toBe(0);
    expect(n.anomaly).toMatchObject({ id: "loop", detector: "loop", agent: "support-agent", step: "search_web", model: null, detectedAt: NOW.toISOString() });
  });

  it("puts them in one Slack message, escaped and within limits", () => {
    const m = buildSlackMessage(n, "http://h");
    checkLimits(m);
    const section = m.blocks.find((b) => b.type === "section" && b.text?.text.startsWith("*Related signals*"));
    expect(section && section.type === "section" && section.text!.text.split("\n")).toEqual([
      "*Related signals*", "• *Chain length*: chain of 21 steps vs usual 5", "• *Fanout*: fan-out of 21 child spans vs usual 5", "• *Latency* (×3): latency &lt;3&gt; s",
    ]);
  });

  it("puts them in the webhook body with links to their traces", () => {
    const body = buildWebhookBody(n, "al1:opened:1:c1", "http://h");
    expect(body.relatedSignals.map((s) => [s.detector, s.traceUrl])).toEqual([["chain_length", "http://h/traces/abc123"], ["fanout", "http://h/traces/abc123"], ["latency", "http://h/traces/abc123"]]);
    expect(body.anomaly).toMatchObject({ agent: "support-agent", step: "search_web", model: null });
  });

  it("reads an outbox payload written before related signals existed", () => {
    const { relatedSignals: _r, relatedSignalsOmitted: _o, ...old } = buildAlertNotification(ALERT, ANOMALY, "opened", NOW);
    expect(buildWebhookBody(old, "k", "http://h")).toMatchObject({ relatedSignals: [], relatedSignalsOmitted: 0 });
    expect(buildSlackMessage(old, "http://h").blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
  });
});

describe("webhook signatures", () => {
  const body = JSON.stringify(buildWebhookBody(buildAlertNotification(ALERT, ANOMALY, "opened", NOW), "al1:opened:1:c1", "http://h"));
  const ts = 1_767_225_600;
  const signature = signWebhook("s3cret", ts, body);
  const cases = [
    { name: "valid", input: { secret: "s3cret", body, timestamp: String(ts), signature, nowSec: ts + 10 }, out: { ok: true } },
    { name: "rotated secrets: any v1 value may match", input: { secret: "s3cret", body, timestamp: String(ts), signature: `v1=${"0".repeat(64)},${signature}`, nowSec: ts }, out: { ok: true } },
    { name: "tampered body", input: { secret: "s3cret", body: body + " ", timestamp: String(ts), signature, nowSec: ts }, out: { ok: false, reason: "bad_signature" } },
    { name: "wrong secret", input: { secret: "other", body, timestamp: String(ts), signature, nowSec: ts }, out: { ok: false, reason: "bad_signature" } },
    { name: "replayed after the window", input: { secret: "s3cret", body, timestamp: String(ts), signature, nowSec: ts + 301 }, out: { ok: false, reason: "outside_replay_window" } },
    { name: "timestamp from the future", input: { secret: "s3cret", body, timestamp: String(ts + 3600), signature, nowSec: ts }, out: { ok: false, reason: "outside_replay_window" } },
    { name: "timestamp changed to stay in the window", input: { secret: "s3cret", body, timestamp: String(ts + 1), signature, nowSec: ts }, out: { ok: false, reason: "bad_signature" } },
    { name: "missing signature", input: { secret: "s3cret", body, timestamp: String(ts), signature: null, nowSec: ts }, out: { ok: false, reason: "missing_headers" } },
    { name: "non-numeric timestamp", input: { secret: "s3cret", body, timestamp: "yesterday", signature, nowSec: ts }, out: { ok: false, reason: "bad_timestamp" } },
  ];
  it.each(cases)("$name", ({ input, out }) => expect(verifyWebhook(input)).toEqual(out));
  it("carries the idempotency key and dashboard links in the body", () => {
    expect(JSON.parse(body)).toMatchObject({ id: "al1:opened:1:c1", type: "alert.opened", alert: { url: "http://h/alerts/al1" }, anomaly: { traceUrl: "http://h/traces/abc123" } });
  });
});

describe("backoffDelayMs", () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  const cases = [
    { name: "first retry, no jitter draw", attempt: 1, random: 0, out: 500 },
    { name: "first retry, max jitter", attempt: 1, random: 1, out: 1000 },
    { name: "doubles per attempt", attempt: 4, random: 0, out: 4000 },
    { name: "capped at maxMs", attempt: 30, random: 1, out: 60_000 },
  ];
  it.each(cases)("$name", ({ attempt, random, out }) => expect(backoffDelayMs(attempt, opts, () => random)).toBe(out));
});

describe("parseRetryAfterMs", () => {
  const cases = [
    { name: "delta seconds", header: "3", out: 3000 },
    { name: "HTTP date", header: new Date(NOW.getTime() + 7000).toUTCString(), out: 7000 },
    { name: "date in the past", header: new Date(NOW.getTime() - 7000).toUTCString(), out: 0 },
    { name: "capped", header: "999999", out: 3_600_000 },
    { name: "missing", header: null, out: null },
    { name: "garbage", header: "soon", out: null },
  ];
  it.each(cases)("$name", ({ header, out }) => expect(parseRetryAfterMs(header, NOW)).toBe(out));
});

describe("classifyStatus", () => {
  const cases = [[200, "delivered"], [204, "delivered"], [429, "retry"], [503, "retry"], [408, "retry"], [404, "failed"], [400, "failed"], [410, "failed"]] as const;
  it.each(cases)("%i → %s", (status, out) => expect(classifyStatus(status)).toBe(out));
});

describe("format helpers", () => {
  const cases = [
    { name: "ms under a second", got: formatMetricValue("duration_ms", 840), out: "840 ms" },
    { name: "ms over a second", got: formatMetricValue("duration_ms", 8400), out: "8.4 s" },
    { name: "cost", got: formatMetricValue("cost_usd", 0.01234), out: "$0.012" },
    { name: "tokens", got: formatMetricValue("output_tokens", 12000), out: "12,000" },
    { name: "error rate", got: formatMetricValue("error_rate", 0.25), out: "25%" },
    { name: "missing", got: formatMetricValue("x", null), out: "n/a" },
    { name: "truncate", got: truncate("abcdef", 4), out: "abc…" },
    { name: "truncate keeps surrogate pairs whole", got: truncate("a😀b", 3), out: "a…" },
    { name: "escape", got: escapeMrkdwn("a<b>&c"), out: "a&lt;b&gt;&amp;c" },
  ];
  it.each(cases)("$name", ({ got, out }) => expect(got).toBe(out));
});
