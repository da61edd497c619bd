import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./helpers";

test.describe("access control", () => {
  test("pages redirect to sign-in and the API refuses anonymous calls", async ({ page, request }) => {
    await page.goto("/traces?agent=x");
    await expect(page).toHaveURL(/\/login\?next=%2Ftraces/);
    const res = await request.get("/api/v1/traces");
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".notice.bad")).toHaveText("Wrong email or password");
  });

  test("sign in, session cookie is httpOnly, mutations need the CSRF token, sign out", async ({ page }) => {
    await signIn(page);
    const session = (await page.context().cookies()).find((c) => c.name === "argus_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    // Same cookie, no CSRF header: refused.
    const forged = await page.request.post("/api/v1/keys", { data: { name: "forged" } });
    expect(forged.status()).toBe(403);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get("/api/v1/traces")).status()).toBe(401);
  });
});

test.describe("finding 6: `next` after sign-in stays on this site", () => {
  for (const next of ["/%5Cevil.example/x", "/%09/evil.example/x", "//evil.example/x", "https://evil.example/"]) {
    test(`next=${next}`, async ({ page, baseURL }) => {
      await page.goto(`/login?next=${next}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname).toBe("/");
    });
  }

  test("a same-site next is honoured", async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent("/alerts?status=open")}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/alerts\?status=open$/);
  });
});
