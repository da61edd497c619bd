// Teams in the browser: an owner invites by link, the invitee signs up through it and gets the invited
// role; the owner changes the role and sees the member; the invitee changes their password and signs
// out another session of theirs.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("invite by link, join with a role, change it; change a password; sign out another session", async ({ page, browser }) => {
  await signIn(page);
  await page.goto("/settings?tab=members");
  await page.getByLabel("Invitee email").fill("invitee@argus.test");
  await page.getByLabel("Invitee role").selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invite-link").locator("code").textContent())!;
  expect(link).toMatch(/\/invite\/[\w-]{43}$/);

  const invitee = await browser.newContext();
  const other = await browser.newContext();
  try {
    const joiner = await invitee.newPage();
    await joiner.goto(link);
    await expect(joiner.getByRole("heading", { name: /^Join / })).toBeVisible();
    await expect(joiner.getByText("You are invited as viewer.")).toBeVisible();
    await joiner.getByLabel("Name").fill("Ivy Invitee");
    await joiner.getByLabel("Password").fill("invitee-password-1");
    await joiner.getByRole("button", { name: "Create account and join" }).click();
    await expect(joiner.getByRole("navigation", { name: "Main" })).toBeVisible();
    const session = (await (await joiner.request.get("/api/auth/session")).json()) as { user: { email: string }; role: string };
    expect(session).toMatchObject({ user: { email: "invitee@argus.test" }, role: "viewer" });

    // The link worked once.
    const again = await other.newPage();
    await again.goto(link);
    await expect(again.locator(".notice.bad")).toContainText("invalid, was already used or has expired");

    // The owner sees the new member and makes them a member.
    await page.reload();
    const row = page.locator('tr[data-member="invitee@argus.test"]');
    await expect(row).toContainText("password");
    await row.getByLabel("Role of invitee@argus.test").selectOption("member");
    await expect.poll(async () => ((await (await joiner.request.get("/api/auth/session")).json()) as { role: string }).role).toBe("member");

    // A second session of the invitee, then a password change from the first signs it out.
    await again.goto("/login");
    await again.getByLabel("Email").fill("invitee@argus.test");
    await again.getByLabel("Password").fill("invitee-password-1");
    await again.getByRole("button", { name: "Sign in" }).click();
    await expect(again.getByRole("navigation", { name: "Main" })).toBeVisible();
    await joiner.goto("/settings?tab=account");
    await expect(joiner.locator('tr[data-session="other"]')).toHaveCount(1);
    await joiner.getByLabel("Current password").fill("invitee-password-1");
    await joiner.getByLabel("New password").fill("invitee-password-2");
    await joiner.getByRole("button", { name: "Change password" }).click();
    await expect(joiner.getByRole("status").filter({ hasText: "Password changed" })).toContainText("1 other session(s) signed out");
    await expect(joiner.locator('tr[data-session="other"]')).toHaveCount(0);
    expect((await again.request.get("/api/auth/session")).status()).toBe(401);
  } finally {
    await invitee.close();
    await other.close();
  }
});
