// The sign-in routes as the browser uses them: first-run setup, login, session, CSRF-checked logout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { createSession } from "@/lib/auth/session";
import { closeDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";

let t: TestDatabase;
let routes: {
  setup: typeof import("@/app/api/auth/setup/route");
  login: typeof import("@/app/api/auth/login/route");
  logout: typeof import("@/app/api/auth/logout/route");
  session: typeof import("@/app/api/auth/session/route");
  keys: typeof import("@/app/api/v1/keys/route");
  password: typeof import("@/app/api/auth/password/route");
};

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  process.env.DATABASE_URL = t.databaseUrl;
  delete process.env.ARGUS_ADMIN_EMAIL;
  delete process.env.ARGUS_ADMIN_PASSWORD;
  resetEnvCache();
  routes = {
    setup: await import("@/app/api/auth/setup/route"),
    login: await import("@/app/api/auth/login/route"),
    logout: await import("@/app/api/auth/logout/route"),
    session: await import("@/app/api/auth/session/route"),
    keys: await import("@/app/api/v1/keys/route"),
    password: await import("@/app/api/auth/password/route"),
  };
});
afterAll(async () => {
  await closeDb();
  await t?.cleanup();
});

const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://argus.local${url}`, { method: "POST", headers: { "content-type": "application/json", host: "argus.local", ...headers }, body: JSON.stringify(body) });
const cookiesOf = (res: Response) => Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));

describe("auth routes", () => {
  it("first run: setup is needed, creates the admin once, then refuses", async () => {
    expect(await (await routes.setup.GET(new Request("http://argus.local/api/auth/setup"))).json()).toEqual({ needsSetup: true, passwordLogin: true, sso: null });
    const res = await routes.setup.POST(json("/api/auth/setup", { email: "Root@Example.com", password: "long-enough" }));
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("argus_session="))).toMatch(/HttpOnly; .*|; HttpOnly/);
    const again = await routes.setup.POST(json("/api/auth/setup", { email: "other@example.com", password: "long-enough" }));
    expect(again.status).toBe(409);
  });

  it.each([
    ["a short password", { email: "a@b.co", password: "short" }, 400],
    ["a bad email", { email: "nope", password: "long-enough" }, 400],
  ])("setup rejects %s", async (_n, body, status) => {
    expect((await routes.setup.POST(json("/api/auth/setup", body))).status).toBe(status);
  });

  it("login refuses form posts, wrong passwords; accepts the right one", async () => {
    const form = new Request("http://argus.local/api/auth/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=root@example.com&password=long-enough" });
    expect((await routes.login.POST(form)).status).toBe(400);
    expect((await routes.login.POST(json("/api/auth/login", { email: "root@example.com", password: "wrong" }))).status).toBe(401);
    const ok = await routes.login.POST(json("/api/auth/login", { email: "ROOT@example.com", password: "long-enough" }));
    expect(ok.status).toBe(200);
    const c = cookiesOf(ok);
    const cookie = `argus_session=${c.argus_session}; argus_csrf=${c.argus_csrf}`;
    const session = await routes.session.GET(new Request("http://argus.local/api/auth/session", { headers: { cookie } }));
    expect(await session.json()).toMatchObject({ user: { email: "root@example.com", isAdmin: true }, projects: [{ name: "default" }] });

    // A cookie-authenticated mutation without the CSRF header is refused; with it, it works.
    expect((await routes.keys.POST(json("/api/v1/keys", { name: "k" }, { cookie }))).status).toBe(403);
    expect((await routes.keys.POST(json("/api/v1/keys", { name: "k" }, { cookie, "x-csrf-token": decodeURIComponent(c.argus_csrf!) }))).status).toBe(201);
    expect((await routes.keys.POST(json("/api/v1/keys", { name: "k" }, { cookie, "x-csrf-token": decodeURIComponent(c.argus_csrf!), origin: "https://evil.example" }))).status).toBe(403);

    const logout = await routes.logout.POST(json("/api/auth/logout", {}, { cookie, "x-csrf-token": decodeURIComponent(c.argus_csrf!) }));
    expect(logout.status).toBe(200);
    expect((await routes.session.GET(new Request("http://argus.local/api/auth/session", { headers: { cookie } }))).status).toBe(401);
  });

  it("audit gap 5: a single sign-on account without a password gets a 400 saying to ask an admin, and no password", async () => {
    const user = await t.db.user.create({ data: { email: "sso@example.com", passwordHash: null, oidcIssuer: "https://idp.example", oidcSubject: "sso-1" } });
    const s = await createSession(t.db, user.id, new Date());
    const headers = { cookie: `argus_session=${s.token}; argus_csrf=${s.csrfToken}`, "x-csrf-token": s.csrfToken };
    const res = await routes.password.POST(json("/api/auth/password", { newPassword: "a-new-password" }, headers));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/single sign-on and has no password.*ask an instance administrator \(argus users reset-password\)/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });
});
