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
