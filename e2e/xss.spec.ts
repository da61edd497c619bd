// Hostile telemetry is shown as text, never executed: a span with <script> / onerror payloads in its name,
// attributes, input/output and events goes through the real OTLP endpoint and is opened in the trace list,
// the trace view (span details) and the agents page. Each payload would set window.__xss or open a dialog.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { api, signIn } from "./helpers";

const PAYLOADS = {
  name: `<script>window.__xss="name";alert("name")</script>`,
  agent: `<img src=x onerror="window.__xss='agent';alert('agent')">`,
  input: `<script>window.__xss="input"</script><img src=x onerror="window.__xss='input-img'">`,
  output: `"><svg onload="window.__xss='output';alert('output')"></svg>`,
  attribute: `<iframe srcdoc="<script>parent.__xss='attr'</script>"></iframe>`,
  event: `<a href="javascript:window.__xss='event'">click</a>`,
};

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const str = (value: string) => ({ stringValue: value });

async function watch(page: Page) {
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { dialogs, cspViolations };
}

async function expectInert(page: Page, seen: { dialogs: string[] }) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(seen.dialogs).toEqual([]);
  // No element came from a payload: the only scripts are the app's own.
  await expect(page.locator("iframe, svg[onload], img[onerror], a[href^='javascript:']")).toHaveCount(0);
}

test("span payloads are rendered as text in the trace list, trace view and agents page", async ({ page, request }) => {
  const seen = await watch(page);
  await signIn(page);
  const { status, body } = await api<{ key: string }>(page, "/api/v1/keys", { method: "POST", data: { name: "xss-e2e" } });
  expect(status).toBe(201);

  const traceId = hex(16);
  const rootId = hex(8);
  const startNs = BigInt(Date.now() - 30_000) * 1_000_000n;
  const span = {
    traceId, spanId: rootId, name: PAYLOADS.name, kind: 1, startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 2_000_000_000n),
    attributes: [
      { key: "gen_ai.operation.name", value: str("invoke_agent") },
      { key: "gen_ai.agent.name", value: str(PAYLOADS.agent) },
      { key: "input.value", value: str(PAYLOADS.input) },
      { key: "output.value", value: str(PAYLOADS.output) },
      { key: "custom.html", value: str(PAYLOADS.attribute) },
    ],
    events: [{ name: PAYLOADS.event, timeUnixNano: String(startNs + 1n), attributes: [{ key: "note", value: str(PAYLOADS.event) }] }],
    status: { code: 2, message: PAYLOADS.name },
  };
  const otlp = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: str("xss-svc") }] }, scopeSpans: [{ scope: { name: "xss" }, spans: [span] }] }] };
  const res = await request.post("/v1/traces", { data: otlp, headers: { authorization: `Bearer ${body.key}`, "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(200);

  await page.goto("/traces?range=1h");
  const row = page.locator(`tr[data-trace-id="${traceId}"]`);
  await expect(row).toContainText(PAYLOADS.name);
  await expectInert(page, seen);

  await page.goto(`/traces/${traceId}?span=${rootId}`);
  const details = page.getByTestId("span-details");
  await expect(details.getByRole("heading", { name: PAYLOADS.name })).toBeVisible();
  for (const text of [PAYLOADS.agent, PAYLOADS.input, PAYLOADS.output, PAYLOADS.attribute]) await expect(details).toContainText(text);
  // Events are shown as JSON, so the quotes of that payload appear escaped.
  await expect(details).toContainText(JSON.stringify(PAYLOADS.event).slice(1, -1));
  await expect(page.getByRole("tree", { name: "Span waterfall" })).toContainText(PAYLOADS.name);
  await expectInert(page, seen);

  await page.goto("/agents?range=1h");
  await expect(page.getByText(PAYLOADS.agent).first()).toBeVisible();
  await expectInert(page, seen);
  expect(seen.cspViolations, "the app itself runs under the CSP").toEqual([]);
});
