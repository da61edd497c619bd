// A phone-sized screen (390 px): the sidebar becomes a top bar with a menu, and no page scrolls sideways.
// Every main page is opened with data in it (runs sent over OTLP, a trace with a long conversation).
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { api, createApiKey, otlpAttributes, sendRuns, sendSpans, signIn, waitFor } from "./helpers";

const WIDTH = 390;

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator('[role="status"][aria-label="Loading…"]')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${path} is wider than the screen` }).toBeLessThanOrEqual(WIDTH);
}

test.describe.serial(`at ${WIDTH} px`, () => {
  let page: Page;
  let traceId = "";
  let alertId: string | undefined;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await signIn(page);
    await page.setViewportSize({ width: WIDTH, height: 844 });
  });
  test.afterAll(async () => page?.close());

  test("data to show", async ({ request }) => {
    const key = await createApiKey(page, "narrow-e2e");
    const now = Date.now();
    await sendRuns(request, key, Array.from({ length: 30 }, (_, i) => ({ agent: ["support-agent", "research-agent", "refund-agent"][i % 3]!, startMs: now - 20 * 60_000 + i * 30_000 })), 7);
    traceId = randomBytes(16).toString("hex");
    const startNs = BigInt(now - 10_000) * 1_000_000n;
    const longLine = "a-very-long-unbroken-token-".repeat(20);
    await sendSpans(page, request, key, "narrow-svc", [
      {
        traceId, spanId: randomBytes(8).toString("hex"), name: "chat with a very long name that does not fit on a phone screen at all", kind: 3,
        startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 1_500_000_000n), status: { code: 1 },
        attributes: otlpAttributes({
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: `Look: ${longLine}\n\n\`\`\`\n${longLine}\n\`\`\`` }] }, { role: "assistant", parts: [{ type: "tool_call", name: "search", arguments: { q: longLine } }] }]),
          "custom.long": longLine,
        }),
      },
    ]);
    alertId = (await api<{ alerts: { id: string }[] }>(page, "/api/v1/alerts?status=")).body.alerts[0]?.id;
    await waitFor("the runs", async () => ((await api<{ items: unknown[] }>(page, "/api/v1/traces?range=1h&limit=5")).body.items.length >= 5 ? true : undefined));
  });

  test("the sidebar is a menu behind a button", async () => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "Traces" }).click();
    await expect(page).toHaveURL(/\/traces/);
    await expect(nav).toBeHidden();
    await expect(page.getByRole("table", { name: "Traces" })).toBeVisible();
  });

  test("no page scrolls sideways", async () => {
    const pages = ["/?range=1h", "/traces?range=1h", "/sessions?range=1h", "/users?range=1h", `/traces/${traceId}`, "/anomalies?range=24h", "/alerts?status=", "/agents?range=1h"];
    if (alertId) pages.push(`/alerts/${alertId}`);
    for (const tab of ["projects", "members", "keys", "account", "channels", "detection", "connect"]) pages.push(`/settings?tab=${tab}`);
    for (const path of pages) await expectNoSidewaysScroll(page, path);
  });

  test("the trace view stacks the waterfall above the span details, with the conversation inside the screen", async () => {
    await page.goto(`/traces/${traceId}`);
    await expect(page.getByTestId("conversation")).toBeVisible();
    const box = await page.getByTestId("conversation").boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(WIDTH);
  });
});
