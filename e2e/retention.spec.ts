// Data retention is set per project in Settings and saved through the API; clearing it turns it off.
import { expect, test } from "@playwright/test";
import { api, signIn } from "./helpers";

test("an admin sets and clears the retention of the active project", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings?tab=projects");
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Data retention" }) });
  await expect(panel).toContainText("keeps data forever");
  await panel.getByLabel("Retention in days").fill("30");
  await panel.getByRole("button", { name: "Save retention" }).click();
  await expect(panel).toContainText("keeps data for 30 days");
  const { body } = await api<{ activeProjectId: string; projects: { id: string; retentionDays: number | null }[] }>(page, "/api/v1/projects");
  expect(body.projects.find((p) => p.id === body.activeProjectId)?.retentionDays).toBe(30);

  await panel.getByLabel("Retention in days").fill("");
  await panel.getByRole("button", { name: "Save retention" }).click();
  await expect(panel).toContainText("keeps data forever");
});
