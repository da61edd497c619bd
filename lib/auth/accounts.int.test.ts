import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { changePassword, createFirstAdmin, ensureEnvAdmin, NO_PASSWORD_MESSAGE, needsSetup, setupFirstAdmin, signIn } from "./accounts";
import { LOGIN_THROTTLE, purgeExpiredThrottles, registerAttempt } from "./login-throttle";
import { hashPassword } from "./password";
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
    expect(await t.db.membership.findFirst({ where: { userId: user.id } })).toMatchObject({ role: "owner" });
  });

  it("finding 5: setup stays closed after the admin is gone (one admin through setup, ever)", async () => {
    await t.db.user.deleteMany({});
    expect(await needsSetup(t.db)).toBe(false);
    await expect(createFirstAdmin(t.db, { email: "late@example.com", password: "12345678" }, "setup")).rejects.toMatchObject({ code: "conflict" });
    await t.db.user.create({ data: { email: "admin@example.com", passwordHash: await hashPassword("s3cret-pass"), isAdmin: true } });
  });

  it("refuses a wrong password and an unknown user with the same message", async () => {
    await expect(signIn(t.db, { email: "admin@example.com", password: "nope" }, "1.1.1.2", Date.now())).rejects.toMatchObject({ code: "unauthorized", message: "Wrong email or password" });
    await expect(signIn(t.db, { email: "ghost@example.com", password: "nope" }, "1.1.1.2", Date.now())).rejects.toMatchObject({ code: "unauthorized", message: "Wrong email or password" });
  });

  it("finding 4: wrong guesses from one address slow that address only; the owner signs in from another at once", async () => {
    const now = Date.now();
    const victim = { email: "admin@example.com", password: "s3cret-pass" };
    // The attack: 9 wrong passwords locked the only admin out for 15 minutes, from every address.
    const outcomes: string[] = [];
    for (let i = 0; i < 9; i++) {
      outcomes.push(await signIn(t.db, { ...victim, password: `guess-${i}` }, "6.6.6.6", now).then(() => "ok", (e: { code: string }) => e.code));
    }
    expect(outcomes.slice(0, LOGIN_THROTTLE.pair.free)).toEqual(Array(LOGIN_THROTTLE.pair.free).fill("unauthorized"));
    expect(outcomes).toContain("rate_limited");
    // Even the right password waits at the attacker's address…
    await expect(signIn(t.db, victim, "6.6.6.6", now)).rejects.toMatchObject({ code: "rate_limited", headers: { "Retry-After": expect.stringMatching(/^\d+$/) } });
    // …but never at the owner's.
    expect((await signIn(t.db, victim, "10.9.8.7", now)).email).toBe("admin@example.com");
    // And the wait grows exponentially, it is not a fixed lock: one second after the first delay, a new try is let through.
    const row = await t.db.loginThrottle.findUniqueOrThrow({ where: { key: "pair:6.6.6.6:admin@example.com" } });
    expect(Number(row.blockedUntilMs) - now).toBeLessThanOrEqual(LOGIN_THROTTLE.pair.maxDelayMs);
    expect((await signIn(t.db, victim, "6.6.6.6", Number(row.blockedUntilMs))).email).toBe("admin@example.com");
  });

  it("finding 4: a blocked address writes no counter per account it names, and counters expire and are purged", async () => {
    const now = 1_800_000_000_000;
    for (let i = 0; i < LOGIN_THROTTLE.address.free + 1; i++) await registerAttempt(t.db, "address:7.7.7.7", LOGIN_THROTTLE.address, now);
    for (let i = 0; i < 100; i++) {
      await expect(signIn(t.db, { email: `spray-${i}@example.com`, password: "x" }, "7.7.7.7", now)).rejects.toMatchObject({ code: "rate_limited" });
    }
    expect(await t.db.loginThrottle.count({ where: { key: { startsWith: "pair:7.7.7.7:" } } })).toBe(0);
    const purged = await purgeExpiredThrottles(t.db, now + 2 * LOGIN_THROTTLE.address.maxDelayMs + LOGIN_THROTTLE.address.resetAfterMs);
    expect(purged).toBeGreaterThan(0);
    expect(await t.db.loginThrottle.count({ where: { key: "address:7.7.7.7" } })).toBe(0);
  });

  it("counts concurrent attempts one by one: a burst cannot slip past the free attempts", async () => {
    const now = 1_700_000_000_000;
    const rule = { free: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 600_000 };
    const results = await Promise.all(Array.from({ length: 10 }, () => registerAttempt(t.db, "pair:burst", rule, now)));
    // Three free attempts and the fourth (which sets the wait) go through; the other six are refused.
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
  });

  it("changes a password (checking the current one) and signs out the other sessions", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const mine = await createSession(t.db, user.id, new Date());
    await createSession(t.db, user.id, new Date());
    const mineId = (await t.db.session.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(mine.token).digest("hex") } })).id;
    await expect(changePassword(t.db, user.id, mineId, { currentPassword: "wrong", newPassword: "brand-new-pass" }, "1.2.3.5", Date.now())).rejects.toMatchObject({ code: "forbidden" });
    await expect(changePassword(t.db, user.id, mineId, { newPassword: "brand-new-pass" }, "1.2.3.5", Date.now())).rejects.toMatchObject({ code: "bad_request", message: "currentPassword is required" });
    await changePassword(t.db, user.id, mineId, { currentPassword: "s3cret-pass", newPassword: "brand-new-pass" }, "1.2.3.5", Date.now());
    const left = await t.db.session.findMany({ where: { userId: user.id } });
    expect(left.map((s) => s.id)).toEqual([mineId]);
    expect((await signIn(t.db, { email: "admin@example.com", password: "brand-new-pass" }, "1.2.3.4", Date.now())).id).toBe(user.id);
    // A success clears the account's counter.
    expect(await t.db.loginThrottle.count({ where: { key: `password:${user.id}` } })).toBe(0);
  });

  it("audit gap 5: a single sign-on account without a password cannot give itself one from a session", async () => {
    const sso = await t.db.user.create({ data: { email: "sso-only@example.com", passwordHash: null, oidcIssuer: "https://idp.example", oidcSubject: "sso-only" } });
    const s = await createSession(t.db, sso.id, new Date());
    const sessionId = (await t.db.session.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(s.token).digest("hex") } })).id;
    for (const input of [{ newPassword: "set-by-a-thief" }, { currentPassword: "", newPassword: "set-by-a-thief" }, { currentPassword: "anything", newPassword: "set-by-a-thief" }]) {
      await expect(changePassword(t.db, sso.id, sessionId, input, "1.2.3.6", Date.now())).rejects.toMatchObject({ code: "bad_request", message: NO_PASSWORD_MESSAGE });
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: sso.id } })).passwordHash).toBeNull();
    await expect(signIn(t.db, { email: "sso-only@example.com", password: "set-by-a-thief" }, "1.2.3.6", Date.now())).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("audit gap 5: guesses of the current password are throttled like sign-in, also across addresses", async () => {
    const user = await t.db.user.create({ data: { email: "guessed@example.com", passwordHash: await hashPassword("the-real-one"), isAdmin: false } });
    const s = await createSession(t.db, user.id, new Date());
    const sessionId = (await t.db.session.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(s.token).digest("hex") } })).id;
    const now = 1_900_000_000_000;
    const outcomes: string[] = [];
    for (let i = 0; i < LOGIN_THROTTLE.pair.free + 3; i++) {
      // A holder of the session switching addresses at every guess.
      outcomes.push(await changePassword(t.db, user.id, sessionId, { currentPassword: `guess-${i}`, newPassword: "taken-over-1" }, `9.9.9.${i}`, now).then(() => "ok", (e: { code: string }) => e.code));
    }
    expect(outcomes.slice(0, LOGIN_THROTTLE.pair.free)).toEqual(Array(LOGIN_THROTTLE.pair.free).fill("forbidden"));
    expect(outcomes.slice(LOGIN_THROTTLE.pair.free + 1)).toEqual(["rate_limited", "rate_limited"]);
    // Even the right password waits until the delay is over, and then works.
    await expect(changePassword(t.db, user.id, sessionId, { currentPassword: "the-real-one", newPassword: "new-one-123" }, "9.9.9.99", now)).rejects.toMatchObject({
      code: "rate_limited", message: expect.stringMatching(/Too many password attempts/), headers: { "Retry-After": expect.stringMatching(/^\d+$/) },
    });
    const row = await t.db.loginThrottle.findUniqueOrThrow({ where: { key: `password:${user.id}` } });
    await changePassword(t.db, user.id, sessionId, { currentPassword: "the-real-one", newPassword: "new-one-123" }, "9.9.9.99", Number(row.blockedUntilMs));
    expect((await signIn(t.db, { email: "guessed@example.com", password: "new-one-123" }, "9.9.9.100", Date.now())).id).toBe(user.id);
  });

  it("audit gap 5: the address counter is shared with sign-in", async () => {
    const now = 1_950_000_000_000;
    for (let i = 0; i < LOGIN_THROTTLE.address.free + 1; i++) await registerAttempt(t.db, "address:8.8.4.4", LOGIN_THROTTLE.address, now);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "guessed@example.com" } });
    const s = await createSession(t.db, user.id, new Date());
    const sessionId = (await t.db.session.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(s.token).digest("hex") } })).id;
    await expect(changePassword(t.db, user.id, sessionId, { currentPassword: "new-one-123", newPassword: "other-one-123" }, "8.8.4.4", now)).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("authenticates a session cookie, checks CSRF on mutations and membership of the project", async () => {
    const user = await t.db.user.create({ data: { email: "member@example.com", passwordHash: "x", isAdmin: false } });
    const mine = await t.db.project.create({ data: { name: "mine" } });
    await t.db.project.create({ data: { name: "theirs" } });
    await t.db.membership.create({ data: { userId: user.id, projectId: mine.id, role: "viewer" } });
    const s = await createSession(t.db, user.id, new Date());
    const cookie = `argus_session=${s.token}`;
    const get = await authenticateSession(new Request("http://h/api/v1/traces", { headers: { cookie } }), t.db);
    expect(get).toMatchObject({ kind: "session", userId: user.id, projectId: mine.id, isAdmin: false, role: "viewer" });
    await expect(authenticateSession(new Request("http://h/api/v1/traces?project=theirs", { headers: { cookie } }), t.db)).rejects.toMatchObject({ code: "forbidden" });
    await expect(authenticateSession(new Request("http://h/api/v1/keys", { method: "POST", headers: { cookie } }), t.db)).rejects.toMatchObject({ code: "forbidden" });
    const post = await authenticateSession(new Request("http://h/api/v1/keys", { method: "POST", headers: { cookie, "x-csrf-token": s.csrfToken, host: "h" } }), t.db);
    expect(post?.projectId).toBe(mine.id);
    expect(await authenticateSession(new Request("http://h/", { headers: { cookie: "argus_session=forged" } }), t.db)).toBeNull();
    const admin = await t.db.user.create({ data: { email: "admin2@example.com", passwordHash: "x", isAdmin: true } });
    expect(await resolveProjectId(t.db, admin, "theirs", true)).toBeTruthy();
  });
});
