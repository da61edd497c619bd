// All traces of one conversation or one user: runs carrying session.id and user.id go through the real OTLP
// endpoint; the Sessions page lists the conversation, the session view reads as its turns in order, a turn
// opens its trace, whose header links back to the session and on to the user's sessions and traces (the
// userId filter of the traces list). At 1440 px and at 390 px (no sideways scroll), light and dark.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { api, createApiKey, sendRuns, signIn, waitFor } from "./helpers";

const suffix = randomBytes(3).toString("hex");
// A space and a colon: ids travel URL-encoded in every link.
const SESSION = `e2e conv:${suffix}`;
const OTHER_SESSION = `e2e-second-${suffix}`;
const USER = `e2e-user-${suffix}`;
const OTHER_USER = `e2e-other-${suffix}`;
const TURNS = 4;

const screenshotDir = () =>
  process.env.ARGUS_UPDATE_SCREENSHOTS === "1" ? path.join(import.meta.dirname, "screenshots") : path.join(test.info().project.outputDir, "screenshots");

async function expectSettled(page: Page, width: number) {
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator('[role="status"][aria-label="Loading…"]')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${page.url()} is wider than the screen` }).toBeLessThanOrEqual(width);
}

test.describe.serial("sessions and users", () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await signIn(page);
  });
  test.afterAll(async () => page?.close());

  test("conversations of two users arrive over OTLP", async ({ request }) => {
    const key = await createApiKey(page, "sessions-e2e");
    const start = Date.now() - 20 * 60_000;
    const runs = [
      // The third turn fails.
      ...Array.from({ length: TURNS }, (_, i) => ({ agent: "support-agent", startMs: start + i * 60_000, session: { sessionId: SESSION, userId: USER }, incident: i === 2 ? ("error" as const) : undefined })),
      ...Array.from({ length: 2 }, (_, i) => ({ agent: "refund-agent", startMs: start + 30_000 + i * 60_000, session: { sessionId: OTHER_SESSION, userId: USER } })),
      { agent: "research-agent", startMs: start + 90_000, session: { sessionId: `e2e-third-${suffix}`, userId: OTHER_USER } },
    ];
    await sendRuns(request, key, runs, 31);
    await waitFor("the user's sessions", async () => {
      const { body } = await api<{ items: { sessionId: string; traceCount: number }[] }>(page, `/api/v1/sessions?range=1h&userId=${encodeURIComponent(USER)}`);
      return body.items.length === 2 && body.items.every((s) => s.traceCount > 1) ? true : undefined;
    });
  });

  for (const width of [1440, 390]) {
    test(`at ${width} px: sessions → a session → a turn's trace → the user's sessions and traces`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto("/?range=1h");
      const nav = page.getByRole("navigation", { name: "Main" });
      if (width < 860) await page.getByRole("button", { name: "Menu" }).click();
      await nav.getByRole("link", { name: "Sessions" }).click();
      await expect(page).toHaveURL(/\/sessions\?range=1h$/);
      await expectSettled(page, width);
      const row = page.locator(`tr[data-session-id="${SESSION}"]`);
      await expect(row).toBeVisible();
      await expect(row.locator("td").nth(3)).toHaveText(String(TURNS));
      await expect(row.locator("td").nth(5)).toHaveText("error");
      if (width === 1440) {
        await expect(row.getByRole("link", { name: USER })).toHaveAttribute("href", `/sessions?userId=${USER}&range=1h`);
        await page.screenshot({ path: path.join(screenshotDir(), "sessions.png") });
      }

      // The session reads as its turns in time order, each with what was asked and answered.
      await row.getByRole("link", { name: SESSION }).click();
      await expect(page).toHaveURL(`/sessions/${encodeURIComponent(SESSION)}`);
      await expectSettled(page, width);
      await expect(page.locator(".page-header")).toContainText(SESSION);
      const turns = page.getByTestId("session-turn");
      await expect(turns).toHaveCount(TURNS);
      expect(await turns.evaluateAll((els) => els.map((el) => el.getAttribute("aria-label")))).toEqual(Array.from({ length: TURNS }, (_, i) => `Turn ${i + 1}`));
      const second = turns.nth(1);
      await expect(second.locator('[data-role="user"]')).toContainText("Step plan for support-agent");
      await expect(second.locator('[data-role="assistant"]')).toContainText("Result of answer");
      await expect(page.locator(".stats")).toContainText(`Turns${TURNS}`);
      await expect(page.locator(".stats")).toContainText("Failed turns1");
      await expect(turns.nth(2).locator(".badge.bad")).toHaveText(/^error/);
      await expect(turns.nth(1).locator(".badge.bad")).toHaveCount(0);
      if (width === 390) {
        // A phone in dark mode: the app follows the system's colour scheme when no theme was chosen.
        await page.emulateMedia({ colorScheme: "dark" });
        await page.reload();
        await expectSettled(page, width);
        await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
        const background = await turns.nth(1).evaluate((el) => getComputedStyle(el.closest(".panel")!).backgroundColor);
        expect(background).toBe("rgb(23, 26, 33)");
        await page.screenshot({ path: path.join(screenshotDir(), "session-390-dark.png"), fullPage: true });
        await page.emulateMedia({ colorScheme: "light" });
      } else {
        await page.screenshot({ path: path.join(screenshotDir(), "session.png"), fullPage: true });
      }

      // A turn opens its trace; the trace names its session and user, as links.
      const traceId = (await second.getAttribute("data-trace-id"))!;
      await second.locator("a.turn-trace").click();
      await expect(page).toHaveURL(`/traces/${traceId}`);
      await expectSettled(page, width);
      const header = page.locator(".page-header");
      await expect(header.getByRole("link", { name: SESSION })).toHaveAttribute("href", `/sessions/${encodeURIComponent(SESSION)}`);

      // The user's sessions, then all of the user's traces through the userId filter.
      await header.getByRole("link", { name: USER }).click();
      await expect(page).toHaveURL(/\/sessions\?userId=e2e-user-[0-9a-f]+&range=1h$/);
      await expectSettled(page, width);
      await expect(page.locator("tr[data-session-id]")).toHaveCount(2);
      await expect(page.locator(`tr[data-session-id="${OTHER_SESSION}"]`)).toBeVisible();
      await page.getByRole("link", { name: "all traces of this user" }).click();
      await expect(page).toHaveURL(/\/traces\?userId=e2e-user-[0-9a-f]+&range=1h$/);
      await expectSettled(page, width);
      await expect(page.locator("tr[data-trace-id]")).toHaveCount(TURNS + 2);
      await expect(page.getByRole("button", { name: "Clear user filter" })).toBeVisible();
      await expect(page.locator("tr[data-trace-id]").first()).toBeVisible();
      await page.getByRole("button", { name: "Clear user filter" }).click();
      await expect(page).toHaveURL(/\/traces\?range=1h$/);
      await expect.poll(() => page.locator("tr[data-trace-id]").count()).toBeGreaterThan(TURNS + 2);
    });

    test(`at ${width} px: users with their sessions and traces`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/users?range=1h");
      await expectSettled(page, width);
      const row = page.locator(`tr[data-user-id="${USER}"]`);
      await expect(row.locator("td").nth(2)).toHaveText("2");
      await expect(row.locator("td").nth(3)).toHaveText(String(TURNS + 2));
      await expect(page.locator(`tr[data-user-id="${OTHER_USER}"] td`).nth(2)).toHaveText("1");
      if (width === 1440) await page.screenshot({ path: path.join(screenshotDir(), "users.png") });
      await row.locator("td").nth(3).getByRole("link").click();
      await expect(page).toHaveURL(/\/traces\?userId=e2e-user-[0-9a-f]+&range=1h$/);
      await expect(page.locator("tr[data-trace-id]")).toHaveCount(TURNS + 2);

      // Search by id prefix.
      await page.goto("/users?range=1h");
      await page.getByLabel("User id").fill("E2E-OTHER-");
      await page.getByLabel("User id").press("Enter");
      await expect(page.locator("tr[data-user-id]")).toHaveCount(1);
      await expect(page.locator(`tr[data-user-id="${OTHER_USER}"]`)).toBeVisible();
    });
  }
});
