// Single sign-on against a real OpenID Connect provider (oidc-provider) started by this test on the next
// port, configured for Argus in playwright.config.ts: the browser signs in at the provider, comes back
// signed in to Argus, and the provider's role claim decides the role; an identity it grants no role is refused.
import { expect, test } from "@playwright/test";
import Provider from "oidc-provider";
import type { Server } from "node:http";
import { OIDC } from "./oidc-settings";

/**
 * The provider's users: login → role claim (developers maps to member, argus-admins to admin; nothing else
 * maps: a value that is merely called "admin" grants nothing without a map entry).
 */
const ROLES: Record<string, string | undefined> = { "dana-dev": "developers", "ada-admin": "argus-admins", "mallory-nobody": undefined, "gus-group-admin": "admin" };

let server: Server;

test.beforeAll(async () => {
  const provider = new Provider(OIDC.issuer, {
    clients: [{ client_id: OIDC.clientId, client_secret: OIDC.clientSecret, redirect_uris: [OIDC.redirectUri], response_types: ["code"], grant_types: ["authorization_code"] }],
    claims: { email: ["email", "email_verified"], profile: ["name", "argus_role"] },
    cookies: { keys: ["e2e-oidc-provider-cookie-key"] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@sso.test`, email_verified: true, name: id, ...(ROLES[id] ? { argus_role: ROLES[id] } : {}) }),
    }),
  });
  server = provider.listen(OIDC.port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function signInAtProvider(page: import("@playwright/test").Page, login: string) {
  await page.goto("/login?next=%2Fsettings%3Ftab%3Daccount");
  await page.getByRole("link", { name: `Sign in with ${OIDC.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC.issuer}/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // First sign-in of this account: the provider asks for consent.
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

test.describe("single sign-on (OpenID Connect)", () => {
  test("a provider user signs in; the role claim maps to a role; they land where `next` said", async ({ page }) => {
    await signInAtProvider(page, "dana-dev");
    await expect(page).toHaveURL(/\/settings\?tab=account$/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    const session = (await (await page.request.get("/api/auth/session")).json()) as { user: { email: string; isAdmin: boolean; hasPassword: boolean }; role: string };
    expect(session).toMatchObject({ user: { email: "dana-dev@sso.test", isAdmin: false, hasPassword: false }, role: "member" });
    await expect(page.locator('tr[data-session="current"]')).toContainText("sso");
    // A member triages but cannot manage: creating a key is refused.
    const csrf = (await page.context().cookies()).find((c) => c.name === "argus_csrf")!.value;
    const key = await page.request.post("/api/v1/keys", { data: { name: "nope" }, headers: { "x-csrf-token": csrf } });
    expect(key.status()).toBe(403);
    // No password, and none can be added from the session (audit gap 5): the panel says whom to ask.
    await expect(page.getByRole("note")).toContainText("ask an instance administrator");
    await expect(page.getByRole("button", { name: "Change password" })).toHaveCount(0);
    const password = await page.request.post("/api/auth/password", { data: { newPassword: "a-password-of-mine" }, headers: { "x-csrf-token": csrf } });
    expect(password.status()).toBe(400);
    expect(((await password.json()) as { error: { message: string } }).error.message).toContain("argus users reset-password");
  });

  test("the admin group makes an instance admin", async ({ page }) => {
    await signInAtProvider(page, "ada-admin");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    const session = (await (await page.request.get("/api/auth/session")).json()) as { user: { isAdmin: boolean }; role: string };
    expect(session).toMatchObject({ user: { isAdmin: true }, role: "owner" });
  });

  test("a claim value named admin grants nothing without a map entry (audit gap 4)", async ({ page }) => {
    await signInAtProvider(page, "gus-group-admin");
    await expect(page).toHaveURL(/\/login\?sso_error=/);
    await expect(page.locator(".notice.bad")).toContainText("grants no access to Argus");
    expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  });

  test("an identity whose claims grant no role is refused with the reason", async ({ page }) => {
    await signInAtProvider(page, "mallory-nobody");
    await expect(page).toHaveURL(/\/login\?sso_error=/);
    await expect(page.locator(".notice.bad")).toContainText("grants no access to Argus");
    expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  });
});
