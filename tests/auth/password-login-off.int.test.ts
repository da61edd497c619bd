// ARGUS_PASSWORD_LOGIN=false: only single sign-on signs users in. Password sign-in, setup, password
// changes and sign-up through an invitation are refused, with a message that says what to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { createInvite } from "@/lib/teams/invites";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { startServer, type TestServer } from "@/tests/helpers/server";

let t: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  server = await startServer({
    databaseUrl: t.databaseUrl,
    env: { ARGUS_PASSWORD_LOGIN: "false", ARGUS_OIDC_ISSUER: "https://idp.example", ARGUS_OIDC_CLIENT_ID: "argus", ARGUS_OIDC_CLIENT_SECRET: "secret", ARGUS_OIDC_NAME: "Okta" },
  });
  await t.db.user.create({ data: { email: "pw@argus.test", passwordHash: await hashPassword("a-good-password") } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("password sign-in turned off", () => {
  it("the sign-in page offers single sign-on only", async () => {
    expect(await (await fetch(`${server.url}/api/auth/setup`)).json()).toEqual({ needsSetup: false, passwordLogin: false, sso: { name: "Okta" } });
  });

  it.each([
    ["sign-in with a right password", "/api/auth/login", { email: "pw@argus.test", password: "a-good-password" }, 403, /Password sign-in is turned off; sign in with Okta/],
    ["setup", "/api/auth/setup", { email: "new@argus.test", password: "a-good-password" }, 403, /Password accounts are turned off/],
  ])("refuses %s", async (_name, path, body, status, message) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("refuses a password change and a sign-up through an invitation", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "pw@argus.test" } });
    const session = await createSession(t.db, user.id, new Date());
    const cookie = `argus_session=${session.token}; argus_csrf=${session.csrfToken}`;
    const change = await post("/api/auth/password", { currentPassword: "a-good-password", newPassword: "another-password" }, { cookie, "x-csrf-token": session.csrfToken });
    expect(change.status).toBe(403);
    const { token } = await createInvite(t.db, { projectId: server.projectId, role: "viewer" }, new Date());
    const signup = await post(`/api/invites/${token}/accept`, { email: "joiner@argus.test", password: "a-good-password" });
    expect(signup.status).toBe(401);
    expect(await t.db.user.findUnique({ where: { email: "joiner@argus.test" } })).toBeNull();
  });

  it("the single sign-on start reports an unreachable provider instead of failing", async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/start`, { redirect: "manual" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("10");
  });
});
