// From the overview to the worst anomaly of the last hour in one click; the headline cards link to their
// lists; the time range follows the user from page to page (links and the sidebar); list rows are real
// links (open in a new tab). Traffic goes through the real OTLP endpoint and the real scorer.
import { expect, test, type Page } from "@playwright/test";
import type { Incident } from "../scripts/seed-data";
import { api, createApiKey, sendRuns, signIn, waitFor } from "./helpers";

const SEVERITY_RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

async function expectRangePressed(page: Page, range: string) {
  await expect(page.getByRole("group", { name: "Time range" }).getByRole("button", { name: range, exact: true })).toHaveAttribute("aria-pressed", "true");
}

/** Every row of the table has a link to `${prefix}${the row's id attribute}`. */
async function expectRowsAreLinks(page: Page, idAttribute: string, prefix: string) {
  const rows = page.locator(`tr[${idAttribute}]`);
  await expect(rows.first()).toBeVisible();
  const missing = await rows.evaluateAll(
    (els, [attr, pre]) => els.filter((row) => !row.querySelector(`a[href="${pre}${row.getAttribute(attr)}"]`)).map((row) => row.getAttribute(attr)),
    [idAttribute, prefix] as const,
  );
  expect(missing).toEqual([]);
}

test.describe.serial("navigation: overview to the worst anomaly, links everywhere, one time range", () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await signIn(page);
  });
  test.afterAll(async () => page?.close());

  test("an hour of traffic with a few bad runs is scored", async ({ request }) => {
    test.setTimeout(180_000);
    const { body: projects } = await api<{ activeProjectId: string }>(page, "/api/v1/projects");
    await api(page, `/api/v1/projects/${projects.activeProjectId}?project=${projects.activeProjectId}`, { method: "PATCH", data: { falseAlertsPer10k: 1000 } });
    const key = await createApiKey(page, "navigation-e2e");
    const now = Date.now();
    const incidents: Incident[] = ["slow", "loop", "tokens", "error"];
    const runs = Array.from({ length: 360 }, (_, i) => ({ agent: "support-agent", startMs: now - 50 * 60_000 + i * 7_500, incident: i > 340 && i % 5 === 0 ? incidents[(i / 5) % 4] : undefined }));
    await sendRuns(request, key, runs, 23);
    await waitFor("scoring", async () => {
      const { body } = await api<{ spans: { pending: number } }>(page, "/api/v1/status");
      return body.spans.pending === 0 ? true : undefined;
    }, 120_000);
    await waitFor("anomalies in the last hour", async () => ((await api<{ topAnomalous: unknown[] }>(page, "/api/v1/overview?range=1h")).body.topAnomalous.length > 0 ? true : undefined));
  });

  test("the most anomalous list ranks by severity, then score, and opens the worst anomaly in one click", async () => {
    await page.goto("/?range=1h");
    const links = page.getByTestId("top-anomalous-link");
    await expect(links.first()).toBeVisible();
    const shown = await links.evaluateAll((els) => els.map((el) => ({ severity: el.getAttribute("data-severity") ?? "", score: Number(el.getAttribute("data-score")) })));
    const ranks = shown.map((a) => [SEVERITY_RANK[a.severity] ?? 0, a.score] as const);
    expect(ranks).toEqual([...ranks].sort((a, b) => b[0] - a[0] || b[1] - a[1]));

    const worst = links.first();
    const href = (await worst.getAttribute("href"))!;
    expect(href).toMatch(/^\/traces\/[0-9a-f]{32}(\?span=[0-9a-f]{16})?$/);
    await worst.click();
    await expect(page).toHaveURL(href);
    await expect(page.getByTestId("anomaly-card").first()).toBeVisible();
    await expect(page.getByRole("link", { name: "← Traces" })).toHaveAttribute("href", "/traces?range=1h");
  });

  test("headline cards link to the lists they summarise, in the same range", async () => {
    await page.goto("/?range=1h");
    const stats = page.getByTestId("overview-stats");
    await expect(stats.getByRole("link", { name: /^Traces:/ })).toHaveAttribute("href", "/traces?range=1h");
    await expect(stats.getByRole("link", { name: /^Failed runs:/ })).toHaveAttribute("href", "/traces?range=1h&status=error");
    await expect(stats.getByRole("link", { name: /^Open alerts:/ })).toHaveAttribute("href", "/alerts");
    await stats.getByRole("link", { name: /^Anomalies:/ }).click();
    await expect(page).toHaveURL(/\/anomalies\?range=1h$/);
    await expectRangePressed(page, "1h");
    await expect(page.getByRole("table", { name: "Anomalies" })).toBeVisible();
  });

  test("the range follows through the sidebar and is remembered for pages opened without one", async () => {
    await page.goto("/anomalies?range=1h");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Traces" }).click();
    await expect(page).toHaveURL(/\/traces\?range=1h$/);
    await expectRangePressed(page, "1h");
    await page.goto("/agents");
    await expectRangePressed(page, "1h");
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/range=6h/);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
    await expect(page).toHaveURL(/\/\?range=6h$/);
    await expectRangePressed(page, "6h");
    await page.goto("/");
    await expectRangePressed(page, "6h");
  });

  test("list rows are real links: traces, anomalies, alerts, agent steps", async () => {
    await page.goto("/traces?range=1h");
    await expectRowsAreLinks(page, "data-trace-id", "/traces/");
    // Middle click opens the trace in a new tab.
    const first = page.locator("tr[data-trace-id]").first();
    const firstId = await first.getAttribute("data-trace-id");
    const [tab] = await Promise.all([page.context().waitForEvent("page"), first.getByRole("link").click({ button: "middle" })]);
    await expect(tab).toHaveURL(new RegExp(`/traces/${firstId}$`));
    await tab.close();

    await page.goto("/anomalies?range=1h");
    await expect(page.locator("tr[data-anomaly-id]").first()).toBeVisible();
    const anomalyLinks = await page.locator("tr[data-anomaly-id]").evaluateAll((rows) => rows.map((r) => r.querySelector("a.row-link")?.getAttribute("href") ?? ""));
    expect(anomalyLinks.every((href) => /^\/traces\/[0-9a-f]{32}(\?span=[0-9a-f]{16})?$/.test(href)), anomalyLinks.join("\n")).toBe(true);

    await waitFor("an alert", async () => ((await api<{ alerts: unknown[] }>(page, "/api/v1/alerts?status=")).body.alerts.length > 0 ? true : undefined));
    await page.goto("/alerts?status=");
    await expectRowsAreLinks(page, "data-alert-id", "/alerts/");

    await page.goto("/agents?range=1h&agent=support-agent");
    const steps = page.getByRole("table", { name: "Steps" });
    const step = steps.locator("tbody tr").nth(1).getByRole("link");
    await expect(step).toHaveAttribute("href", /\/agents\?range=1h&agent=support-agent&step=/);
    await step.click();
    await expect(steps.locator("tbody tr").nth(1)).toHaveAttribute("aria-selected", "true");
  });
});
