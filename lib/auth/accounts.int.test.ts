import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { LOGIN_RULES, createAdmin, ensureEnvAdmin, needsSetup, setupFirstAdmin, signIn } from "./accounts";
import { hitRateLimit } from "./rate-limit";
import { authenticateSession, createSession, resolveProjectId } from "./session";

describe.each(PROVIDERS)("accounts and sessions on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.cleanup());

  it("creates the admin from the environment once, then setup is closed", async () => {
    expect(await needsSetup(t.db)).toBe(true);
    await ensureEnvAdmin(t.db, { ARGUS_ADMIN_EMAIL: "Admin@Example.com", ARGUS_ADMIN_PASSWORD: "s3cret-pass" });
    await ensureEnvAdmin(t.db, { ARGUS_ADMIN_EMAIL: "other@example.com", ARGUS_ADMIN_PASSWORD: "s3cret-pass" });
    expect(await t.db.user.count()).toBe(1);
    expect(await needsSetup(t.db)).toBe(false);
    await expect(setupFirstAdmin(t.db, { email: "x@example.com", password: "12345678" })).rejects.toMatchObject({ code: "conflict" });
    const user = await signIn(t.db, { email: "admin@example.com", password: "s3cret-pass" }, "1.1.1.1", Date.now());
    expect(user.isAdmin).toBe(true);
  });

  it("refuses a wrong password and an unknown user with the same message", async () => {
    await expect(signIn(t.db, { email: "admin@example.com", password: "nope" }, "1.1.1.2", Date.now())).rejects.toMatchObject({ code: "unauthorized", message: "Wrong email or password" });
    await expect(signIn(t.db, { email: "ghost@example.com", password: "nope" }, "1.1.1.2", Date.now())).rejects.toMatchObject({ code: "unauthorized", message: "Wrong email or password" });
  });

  it("rate-limits repeated attempts for one email with Retry-After", async () => {
    const now = Date.now();
    for (let i = 0; i < LOGIN_RULES.perEmail.limit; i++) {
      await signIn(t.db, { email: "victim@example.com", password: "guess" }, `10.0.0.${i}`, now).catch(() => {});
    }
    await expect(signIn(t.db, { email: "victim@example.com", password: "guess" }, "10.0.1.1", now)).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("counts hits atomically under concurrency", async () => {
    const now = 1_700_000_000_000;
    const results = await Promise.all(Array.from({ length: 10 }, () => hitRateLimit(t.db, "k:concurrent", { limit: 100, windowMs: 60_000 }, now)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const next = await hitRateLimit(t.db, "k:concurrent", { limit: 100, windowMs: 60_000 }, now + 60_000);
    expect(next.count).toBe(1);
  });

  it("authenticates a session cookie, checks CSRF on mutations and membership of the project", async () => {
    const user = await t.db.user.create({ data: { email: "member@example.com", passwordHash: "x", isAdmin: false } });
    const mine = await t.db.project.create({ data: { name: "mine" } });
    await t.db.project.create({ data: { name: "theirs" } });
    await t.db.membership.create({ data: { userId: user.id, projectId: mine.id } });
    const s = await createSession(t.db, user.id, new Date());
    const cookie = `argus_session=${s.token}`;
    const get = await authenticateSession(new Request("http://h/api/v1/traces", { headers: { cookie } }), t.db);
    expect(get).toMatchObject({ kind: "session", userId: user.id, projectId: mine.id, isAdmin: false });
    await expect(authenticateSession(new Request("http://h/api/v1/traces?project=theirs", { headers: { cookie } }), t.db)).rejects.toMatchObject({ code: "forbidden" });
    await expect(authenticateSession(new Request("http://h/api/v1/keys", { method: "POST", headers: { cookie } }), t.db)).rejects.toMatchObject({ code: "forbidden" });
    const post = await authenticateSession(new Request("http://h/api/v1/keys", { method: "POST", headers: { cookie, "x-csrf-token": s.csrfToken, host: "h" } }), t.db);
    expect(post?.projectId).toBe(mine.id);
    expect(await authenticateSession(new Request("http://h/", { headers: { cookie: "argus_session=forged" } }), t.db)).toBeNull();
    const admin = await createAdmin(t.db, { email: "admin2@example.com", password: "12345678" });
    expect(await resolveProjectId(t.db, admin, "theirs", true)).toBeTruthy();
  });
});
